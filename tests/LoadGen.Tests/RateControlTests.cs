using GrainMQ.LoadGen.Timing;

namespace GrainMQ.LoadGen.Tests;

public class RateControlTests
{
    [Fact]
    public void A_publisher_sends_its_first_message_at_the_start_and_then_one_per_interval()
    {
        var schedule = new IntervalSchedule(start: 1_000, interval: 100);

        Assert.Equal(0, schedule.TakeDue(999, maxBurst: 10, out _));
        Assert.Equal(1, schedule.TakeDue(1_000, maxBurst: 10, out _));
        Assert.Equal(1_100, schedule.NextDue);
        Assert.Equal(0, schedule.TakeDue(1_099, maxBurst: 10, out _));
        Assert.Equal(1, schedule.TakeDue(1_150, maxBurst: 10, out _));
        Assert.Equal(1_200, schedule.NextDue);
    }

    [Fact]
    public void A_late_wake_up_sends_every_overdue_message_and_keeps_the_original_grid()
    {
        var schedule = new IntervalSchedule(start: 0, interval: 100);
        schedule.TakeDue(0, maxBurst: 10, out _);

        var due = schedule.TakeDue(350, maxBurst: 10, out var skipped);

        Assert.Equal(3, due);
        Assert.Equal(0, skipped);
        Assert.Equal(400, schedule.NextDue);
    }

    [Fact]
    public void A_stall_longer_than_the_burst_skips_the_excess_and_restarts_from_now()
    {
        var schedule = new IntervalSchedule(start: 0, interval: 100);

        var due = schedule.TakeDue(10_050, maxBurst: 10, out var skipped);

        Assert.Equal(10, due);
        Assert.Equal(91, skipped);
        Assert.Equal(10_150, schedule.NextDue);
    }

    [Fact]
    public void Over_a_long_run_the_count_sent_matches_the_rate_whatever_the_wake_up_jitter()
    {
        var schedule = new IntervalSchedule(start: 0, interval: 1_000);
        var random = new Random(7);
        long sent = 0;
        long now = 0;
        while (now < 10_000_000)
        {
            sent += schedule.TakeDue(now, maxBurst: 10, out _);
            now += random.Next(1, 3_000);
        }

        // 10,000 intervals elapsed: one message per interval, plus the one at the start, give or take the last wake-up.
        Assert.InRange(sent, 10_000 - 3, 10_001);
    }

    [Fact]
    public void A_connect_rate_spaces_connects_evenly()
    {
        var pacing = ConnectPacing.For(intervalMs: 10, ratePerSecond: 1_000, workerCount: 1);

        Assert.Equal(TimeSpan.FromMilliseconds(1), pacing.Interval);
        Assert.Equal(TimeSpan.Zero, pacing.StartOf(0));
        Assert.Equal(TimeSpan.FromMilliseconds(250), pacing.StartOf(250));
        Assert.Equal(1, pacing.DueBy(TimeSpan.Zero, 5_000));
        Assert.Equal(11, pacing.DueBy(TimeSpan.FromMilliseconds(10), 5_000));
        Assert.Equal(5_000, pacing.DueBy(TimeSpan.FromSeconds(60), 5_000));
        Assert.Equal(0, pacing.DueBy(TimeSpan.FromMilliseconds(-1), 5_000));
    }

    [Fact]
    public void Without_a_rate_the_interval_option_sets_the_spacing()
    {
        var pacing = ConnectPacing.For(intervalMs: 10, ratePerSecond: 0, workerCount: 1);

        Assert.Equal(TimeSpan.FromMilliseconds(10), pacing.Interval);
        Assert.Equal(4, pacing.DueBy(TimeSpan.FromMilliseconds(35), 100));
    }

    [Fact]
    public void Each_of_n_workers_connects_n_times_more_slowly_so_the_run_keeps_its_rate()
    {
        var pacing = ConnectPacing.For(intervalMs: 0, ratePerSecond: 4_000, workerCount: 4);

        Assert.Equal(TimeSpan.FromMilliseconds(1), pacing.Interval);
        Assert.Equal(1_000, pacing.DueBy(TimeSpan.FromMilliseconds(999.5), 10_000));
    }

    [Fact]
    public void A_zero_interval_starts_every_client_at_once()
    {
        var pacing = ConnectPacing.For(intervalMs: 0, ratePerSecond: 0, workerCount: 2);

        Assert.Equal(300, pacing.DueBy(TimeSpan.Zero, 300));
    }
}
