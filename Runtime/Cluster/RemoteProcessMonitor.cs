using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// A silo's <see cref="IRemoteProcessMonitor"/>, fed by its <see cref="Transport.ClusterListener"/> with the inbound
/// connections that open and close (by the name in their hello). A name with no open connection has a grace timer;
/// when it fires before the process connected again, the process is gone: its name moves to the gone set (names are
/// never reused, so it stays gone; one short string per departed incarnation for the life of the silo) and
/// <see cref="ProcessGone"/> is raised.
/// Ownership: <c>_processes</c>, <c>_gone</c> and every timer change under <c>_lock</c> (listener loops, grain turns
/// calling <see cref="Watch"/>, timer callbacks); the event is raised after the lock is released.
/// </summary>
internal sealed class RemoteProcessMonitor : IRemoteProcessMonitor, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Process> _processes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);
    private readonly TimeSpan _grace;
    private readonly ILogger _logger;
    private bool _disposed;

    public RemoteProcessMonitor(TimeSpan grace, ILogger logger)
    {
        _grace = grace;
        _logger = logger;
    }

    public event Action<string>? ProcessGone;

    /// <summary>An inbound connection from <paramref name="name"/> completed its handshake.</summary>
    public void Connected(string name)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // A process taken for gone that connects again was only cut off longer than the grace: it is live again.
            _gone.Remove(name);
            if (!_processes.TryGetValue(name, out var process))
            {
                process = new Process();
                _processes.Add(name, process);
            }

            process.Connections++;
            process.StopGrace();
        }
    }

    /// <summary>An inbound connection from <paramref name="name"/> closed.</summary>
    public void Disconnected(string name)
    {
        lock (_lock)
        {
            if (_disposed || !_processes.TryGetValue(name, out var process) || --process.Connections > 0)
            {
                return;
            }

            StartGraceLocked(name, process);
        }

        ClusterLog.ProcessDisconnected(_logger, name, _grace);
    }

    public bool Watch(string processName)
    {
        lock (_lock)
        {
            if (_disposed || _processes.ContainsKey(processName))
            {
                return true;
            }

            if (_gone.Contains(processName))
            {
                return false;
            }

            var process = new Process();
            _processes.Add(processName, process);
            StartGraceLocked(processName, process);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var process in _processes.Values)
            {
                process.StopGrace();
            }

            _processes.Clear();
        }
    }

    private void StartGraceLocked(string name, Process process)
    {
        var epoch = ++process.Epoch;
        process.Grace = new Timer(
            static state =>
            {
                var (monitor, name, process, epoch) = ((RemoteProcessMonitor, string, Process, long))state!;
                monitor.OnGraceElapsed(name, process, epoch);
            },
            (this, name, process, epoch),
            _grace,
            Timeout.InfiniteTimeSpan);
    }

    private void OnGraceElapsed(string name, Process process, long epoch)
    {
        lock (_lock)
        {
            // A connection since, or a newer timer: this one is stale.
            if (_disposed || process.Epoch != epoch || process.Connections > 0)
            {
                return;
            }

            process.StopGrace();
            _processes.Remove(name);
            _gone.Add(name);
        }

        ClusterLog.ProcessGone(_logger, name, _grace);
        ProcessGone?.Invoke(name);
    }

    private sealed class Process
    {
        public int Connections;
        public long Epoch;
        public Timer? Grace;

        public void StopGrace()
        {
            Epoch++;
            Grace?.Dispose();
            Grace = null;
        }
    }
}
