using System.Globalization;
using GrainMQ.Protocol;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>Command-line vocabulary shared by mosquitto_pub and mosquitto_sub (version 2.0).</summary>
public static class Mosquitto
{
    /// <summary>How long a test waits for any one thing a client or the broker should do.</summary>
    public static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>mosquitto_sub -W</c>: a subscriber exits by itself after this many seconds, so that even a test host that
    /// dies without disposing leaves no subscriber behind for long.
    /// </summary>
    public const int SubscriberLifetimeSeconds = 60;

    /// <summary>The value of <c>-V</c> for <paramref name="version"/>.</summary>
    public static string VersionArgument(MqttProtocolVersion version) => version switch
    {
        MqttProtocolVersion.V311 => "mqttv311",
        MqttProtocolVersion.V500 => "mqttv5",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "mosquitto clients are tested with 3.1.1 and 5.0"),
    };

    /// <summary>The value of <c>-q</c> for <paramref name="qos"/>.</summary>
    public static string QoSArgument(MqttQoS qos) => ((int)qos).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts mosquitto_pub or mosquitto_sub through <c>stdbuf -oL</c>: with its output on a pipe, a mosquitto client
    /// would buffer its debug lines (the SUBACK among them) in blocks; line buffering makes each line a timely signal.
    /// </summary>
    public static ChildProcess Start(string program, IReadOnlyList<string> arguments, bool redirectStandardInput = false) =>
        ChildProcess.Start("stdbuf", ["-oL", program, .. arguments], redirectStandardInput: redirectStandardInput);

    /// <summary>The arguments every client gets: broker address, protocol version, debug output.</summary>
    public static List<string> CommonArguments(int port, MqttProtocolVersion version) =>
        ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-V", VersionArgument(version), "-d"];
}
