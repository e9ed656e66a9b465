using GrainMQ.LoadGen.Timing;

namespace GrainMQ.LoadGen.Tests;

public class WorkerSliceTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(100_000, 6)]
    [InlineData(2, 5)]
    [InlineData(7, 1)]
    public void Workers_take_contiguous_slices_that_cover_every_client_once(int clients, int workers)
    {
        long next = 1;
        for (var index = 0; index < workers; index++)
        {
            var slice = WorkerSlice.For(clients, startNumber: 1, index, workers);
            Assert.Equal(next, slice.FirstSequence);
            Assert.InRange(slice.ClientCount, clients / workers, (clients / workers) + 1);
            next += slice.ClientCount;
        }

        Assert.Equal(clients + 1, next);
    }

    [Fact]
    public void Sequence_numbers_continue_across_workers_from_the_start_number()
    {
        Assert.Equal(new WorkerSlice(500, 4), WorkerSlice.For(10, startNumber: 500, workerIndex: 0, workerCount: 3));
        Assert.Equal(new WorkerSlice(504, 3), WorkerSlice.For(10, startNumber: 500, workerIndex: 1, workerCount: 3));
        Assert.Equal(new WorkerSlice(507, 3), WorkerSlice.For(10, startNumber: 500, workerIndex: 2, workerCount: 3));
    }

    [Fact]
    public void The_message_limit_is_shared_so_the_shares_add_up_to_it()
    {
        long total = 0;
        for (var index = 0; index < 7; index++)
        {
            total += WorkerSlice.Share(1_000_003, index, 7);
        }

        Assert.Equal(1_000_003, total);
    }
}
