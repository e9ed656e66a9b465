namespace GrainMQ.Observability.Metrics;

/// <summary>The broker's meter and the names of its instruments (OpenTelemetry names; see docs/observability.md for the Prometheus names).</summary>
public static class BrokerMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "GrainMQ.Broker";

    /// <summary>The tag naming the gateway (the silo process that holds the sockets).</summary>
    public const string GatewayTag = "gateway";

    /// <summary>The tag naming the listener: <c>tcp</c> or <c>websocket</c>.</summary>
    public const string ListenerTag = "listener";
}
