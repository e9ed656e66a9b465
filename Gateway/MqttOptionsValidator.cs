using Microsoft.Extensions.Options;

namespace GrainMQ.Gateway;

/// <summary>Refuses <see cref="MqttOptions"/> that the protocol or the gateway cannot honour, at start-up.</summary>
internal sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    /// <summary>The largest packet MQTT can frame: a 4-byte remaining length plus the fixed header.</summary>
    private const int ProtocolMaxPacketSize = 268_435_460;

    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        List<string>? failures = null;
        Check(ref failures, IsHost(options.Host), "Mqtt:Host must be an IP address, localhost, * or 0.0.0.0.");
        Check(ref failures, options.Tcp.Port is >= 0 and <= 65535, "Mqtt:Tcp:Port must be 0 to 65535.");
        Check(ref failures, options.WebSocket.Port is >= 0 and <= 65535, "Mqtt:WebSocket:Port must be 0 to 65535.");
        Check(ref failures, options.WebSocket.Path.StartsWith('/'), "Mqtt:WebSocket:Path must start with '/'.");
        Check(ref failures, options.MaxConnections >= 1, "Mqtt:MaxConnections must be at least 1.");
        Check(ref failures, options.ConnectTimeout > TimeSpan.Zero, "Mqtt:ConnectTimeout must be positive.");
        Check(ref failures, options.CloseTimeout > TimeSpan.Zero, "Mqtt:CloseTimeout must be positive.");
        Check(ref failures, options.MaxClientIdLength is >= 23 and <= 65535, "Mqtt:MaxClientIdLength must be 23 to 65535.");
        Check(ref failures, options.MaxKeepAlive is >= 1 and <= 65535, "Mqtt:MaxKeepAlive must be 1 to 65535 seconds.");
        Check(ref failures, options.ReceiveMaximum is >= 1 and <= 65535, "Mqtt:ReceiveMaximum must be 1 to 65535.");
        Check(ref failures, options.MaxPacketSize is >= 64 and <= ProtocolMaxPacketSize, "Mqtt:MaxPacketSize must be 64 to 268435460 bytes.");
        Check(ref failures, options.TopicAliasMaximum is >= 0 and <= 65535, "Mqtt:TopicAliasMaximum must be 0 to 65535.");
        Check(ref failures, options.MaxPendingRequests >= 1, "Mqtt:MaxPendingRequests must be at least 1.");
        Check(ref failures, options.MaxQueuedMessages >= 1, "Mqtt:MaxQueuedMessages must be at least 1.");
        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHost(string host) =>
        host is "" or "*" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || System.Net.IPAddress.TryParse(host, out _);

    private static void Check(ref List<string>? failures, bool condition, string failure)
    {
        if (!condition)
        {
            (failures ??= []).Add(failure);
        }
    }
}
