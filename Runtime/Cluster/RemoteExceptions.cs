namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// The silo that owns the target is gone or unreachable: declared dead, left, or refusing connections. The message
/// may or may not have been processed; the caller decides whether to retry (a retry is routed to the new owner).
/// </summary>
public sealed class SiloUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A grain on another silo threw an exception of a type that is not re-created locally; its type and message are kept.</summary>
public sealed class RemoteGrainException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string remoteType, string message)
        : base($"{remoteType}: {message}") => RemoteType = remoteType;

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException()
    {
        RemoteType = "";
    }

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string message)
        : base(message)
    {
        RemoteType = "";
    }

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string message, Exception innerException)
        : base(message, innerException)
    {
        RemoteType = "";
    }

    /// <summary>The full name of the exception type thrown on the other silo.</summary>
    public string RemoteType { get; }

    /// <summary>The exception to raise locally for an exception of <paramref name="type"/> thrown remotely.</summary>
    internal static Exception Recreate(string type, string message) => type switch
    {
        "System.TimeoutException" => new TimeoutException(message),
        "System.InvalidOperationException" => new InvalidOperationException(message),
        "System.ArgumentException" => new ArgumentException(message),
        "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException" => new OperationCanceledException(message),
        "GrainMQ.Runtime.Cluster.SiloUnavailableException" => new SiloUnavailableException(message),
        "GrainMQ.Runtime.InconsistentStateException" => new InconsistentStateException(message),
        _ => new RemoteGrainException(type, message),
    };
}
