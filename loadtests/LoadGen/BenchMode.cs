namespace GrainMQ.LoadGen;

/// <summary>What the clients of a run do once connected.</summary>
public enum BenchMode
{
    /// <summary>Hold the connection, pinging at the keep-alive interval.</summary>
    Conn,

    /// <summary>Subscribe to the client's topic and time every message received.</summary>
    Sub,

    /// <summary>Publish timestamped messages to the client's topic at a fixed interval.</summary>
    Pub,
}
