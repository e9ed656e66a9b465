using System.Globalization;
using GrainMQ.Protocol;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// A running <c>mosquitto_sub</c> whose subscription the broker has acknowledged. It prints each message with
/// <see cref="ReceivedMessage.Format"/> and, with <c>-d</c>, its packet traffic, which is how
/// <see cref="StartAsync"/> knows the SUBACK arrived. Disposing kills it if it is still running.
/// </summary>
public sealed class MosquittoSubscriber : IAsyncDisposable
{
    private const string SubscribedMarker = "Subscribed (mid: ";
    private const byte SubscriptionFailure = 0x80;

    private readonly ChildProcess _process;
    private readonly Func<string> _diagnostics;
    private readonly Queue<ReceivedMessage> _receivedBeforeSubAck = new();

    private MosquittoSubscriber(ChildProcess process, Func<string> diagnostics)
    {
        _process = process;
        _diagnostics = diagnostics;
    }

    /// <summary>The QoS the broker granted, as the SUBACK said.</summary>
    public MqttQoS GrantedQoS { get; private set; }

    /// <summary>
    /// Starts <c>mosquitto_sub</c> on <paramref name="topicFilter"/> and returns once the SUBACK arrived (messages
    /// that arrive before it, such as a persistent session's queued ones, are kept for <see cref="NextMessageAsync"/>).
    /// </summary>
    /// <param name="port">The broker's TCP port on 127.0.0.1.</param>
    /// <param name="version">The protocol version to connect with.</param>
    /// <param name="topicFilter">The filter to subscribe to.</param>
    /// <param name="qos">The maximum QoS asked for.</param>
    /// <param name="extraArguments">More mosquitto_sub arguments (client id, <c>-c</c>, will, ...).</param>
    /// <param name="diagnostics">Appended to failure messages (the broker's log).</param>
    public static async Task<MosquittoSubscriber> StartAsync(
        int port,
        MqttProtocolVersion version,
        string topicFilter,
        MqttQoS qos,
        IReadOnlyList<string> extraArguments,
        Func<string> diagnostics)
    {
        var arguments = Mosquitto.CommonArguments(port, version);
        arguments.AddRange(
        [
            "-t", topicFilter,
            "-q", Mosquitto.QoSArgument(qos),
            "-F", ReceivedMessage.Format,
            "-W", Mosquitto.SubscriberLifetimeSeconds.ToString(CultureInfo.InvariantCulture),
        ]);
        arguments.AddRange(extraArguments);

        var subscriber = new MosquittoSubscriber(Mosquitto.Start("mosquitto_sub", arguments), diagnostics);
        try
        {
            await subscriber.WaitForSubAckAsync();
            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next message, within <see cref="Mosquitto.SignalTimeout"/>.</summary>
    public async Task<ReceivedMessage> NextMessageAsync()
    {
        if (_receivedBeforeSubAck.TryDequeue(out var early))
        {
            return early;
        }

        while (true)
        {
            var line = await _process.ReadLineAsync(Mosquitto.SignalTimeout, _diagnostics);
            if (ReceivedMessage.TryParse(line) is { } message)
            {
                return message;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> messages, in arrival order.</summary>
    public async Task<List<ReceivedMessage>> NextMessagesAsync(int count)
    {
        var messages = new List<ReceivedMessage>(count);
        while (messages.Count < count)
        {
            messages.Add(await NextMessageAsync());
        }

        return messages;
    }

    /// <summary>Waits for mosquitto_sub to exit by itself (after <c>-E</c> or <c>-C</c>) and checks it succeeded.</summary>
    public async Task WaitForSuccessfulExitAsync()
    {
        var exitCode = await _process.WaitForExitAsync(Mosquitto.SignalTimeout, _diagnostics);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(_process.Describe($"mosquitto_sub exited with code {exitCode}", _diagnostics));
        }
    }

    /// <summary>Kills mosquitto_sub with SIGKILL: its connection drops without a DISCONNECT packet.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(Mosquitto.SignalTimeout, _diagnostics);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitForSubAckAsync()
    {
        while (true)
        {
            var line = await _process.ReadLineAsync(Mosquitto.SignalTimeout, _diagnostics);
            if (ReceivedMessage.TryParse(line) is { } message)
            {
                _receivedBeforeSubAck.Enqueue(message);
            }
            else if (line.StartsWith(SubscribedMarker, StringComparison.Ordinal))
            {
                // "Subscribed (mid: 1): 2" — the granted QoS (or 128, failure) follows the last colon.
                var granted = byte.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                if (granted >= SubscriptionFailure)
                {
                    throw new InvalidOperationException(_process.Describe($"the broker refused the subscription ({granted})", _diagnostics));
                }

                GrantedQoS = (MqttQoS)granted;
                return;
            }
        }
    }
}
