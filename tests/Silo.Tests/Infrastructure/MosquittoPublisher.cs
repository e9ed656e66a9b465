using GrainMQ.Protocol;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// Runs <c>mosquitto_pub</c> to completion. mosquitto_pub exits after its last PUBACK / PUBCOMP (QoS 1 / 2) or
/// after sending (QoS 0) and a clean DISCONNECT, so a completed publish at QoS 1 or 2 means the broker owns the message.
/// </summary>
public static class MosquittoPublisher
{
    /// <summary>
    /// Publishes <paramref name="payload"/> (null: a zero-length payload, <c>-n</c>) to <paramref name="topic"/> and
    /// waits for mosquitto_pub to exit successfully.
    /// </summary>
    public static async Task PublishAsync(
        int port,
        MqttProtocolVersion version,
        string topic,
        string? payload,
        MqttQoS qos,
        IReadOnlyList<string> extraArguments,
        Func<string> diagnostics)
    {
        var arguments = Arguments(port, version, topic, qos, extraArguments);
        if (payload is null)
        {
            arguments.Add("-n");
        }
        else
        {
            arguments.AddRange(["-m", payload]);
        }

        await using var publisher = Mosquitto.Start("mosquitto_pub", arguments);
        await ExpectSuccessAsync(publisher, diagnostics);
    }

    /// <summary>Publishes each of <paramref name="payloads"/> as a message, in order, over one connection (<c>-l</c>).</summary>
    public static async Task PublishLinesAsync(
        int port,
        MqttProtocolVersion version,
        string topic,
        IReadOnlyList<string> payloads,
        MqttQoS qos,
        Func<string> diagnostics)
    {
        var arguments = Arguments(port, version, topic, qos, []);
        arguments.Add("-l");

        await using var publisher = Mosquitto.Start("mosquitto_pub", arguments, redirectStandardInput: true);
        foreach (var payload in payloads)
        {
            await publisher.StandardInput.WriteLineAsync(payload);
        }

        publisher.StandardInput.Close();
        await ExpectSuccessAsync(publisher, diagnostics);
    }

    private static List<string> Arguments(int port, MqttProtocolVersion version, string topic, MqttQoS qos, IReadOnlyList<string> extraArguments)
    {
        var arguments = Mosquitto.CommonArguments(port, version);
        arguments.AddRange(["-t", topic, "-q", Mosquitto.QoSArgument(qos)]);
        arguments.AddRange(extraArguments);
        return arguments;
    }

    private static async Task ExpectSuccessAsync(ChildProcess publisher, Func<string> diagnostics)
    {
        var exitCode = await publisher.WaitForExitAsync(Mosquitto.SignalTimeout, diagnostics);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(publisher.Describe($"mosquitto_pub exited with code {exitCode}", diagnostics));
        }
    }
}
