namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>
/// The numbers of the messages a background publisher got a PUBACK for. The publisher adds them; a test waits until
/// there are enough: each <see cref="Add"/> completes the waiters whose count is reached, so nobody polls.
/// </summary>
public sealed class AcknowledgedNumbers
{
    private readonly Lock _lock = new();
    private readonly HashSet<int> _numbers = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _numbers.Count;
            }
        }
    }

    public void Add(int number)
    {
        lock (_lock)
        {
            _numbers.Add(number);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_numbers.Count >= _waiters[i].Count)
                {
                    _waiters[i].Reached.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public int[] ToArray()
    {
        lock (_lock)
        {
            return [.. _numbers];
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> numbers were acknowledged.</summary>
    public async Task WaitForCountAsync(int count, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_numbers.Count >= count)
            {
                return;
            }

            _waiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"only {Count} of {count} PUBACKs within {timeout.TotalSeconds:0} s");
        }
    }
}
