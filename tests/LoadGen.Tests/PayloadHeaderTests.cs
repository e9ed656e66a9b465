using GrainMQ.LoadGen.Client;

namespace GrainMQ.LoadGen.Tests;

public class PayloadHeaderTests
{
    [Fact]
    public void A_stamped_payload_gives_the_microseconds_since_its_stamp()
    {
        var payload = PayloadHeader.Create(64);
        var sent = new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc).Ticks;

        PayloadHeader.Stamp(payload, sent);

        Assert.Equal(64, payload.Length);
        Assert.Equal(1_500, PayloadHeader.LatencyMicros(payload, sent + TimeSpan.FromMicroseconds(1_500).Ticks));
    }

    [Fact]
    public void A_payload_from_another_publisher_is_not_timed()
    {
        Assert.Equal(-1, PayloadHeader.LatencyMicros("hello, this is not a bench payload"u8, DateTime.UtcNow.Ticks));
        Assert.Equal(-1, PayloadHeader.LatencyMicros("GMQB"u8, DateTime.UtcNow.Ticks));
    }

    [Fact]
    public void A_stamp_from_a_clock_ahead_of_ours_counts_as_zero_latency()
    {
        var payload = PayloadHeader.Create(PayloadHeader.Size);
        PayloadHeader.Stamp(payload, 1_000_000);

        Assert.Equal(0, PayloadHeader.LatencyMicros(payload, 999_000));
    }

    [Fact]
    public void A_payload_smaller_than_the_header_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PayloadHeader.Create(PayloadHeader.Size - 1));
    }
}
