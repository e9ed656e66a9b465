using GrainMQ.Protocol;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// One Silo process shared by a test collection, with mosquitto_pub / mosquitto_sub bound to its port. Failure
/// messages from the clients carry the Silo's recent log. Tests keep apart by using <see cref="UniqueTopic"/>.
/// </summary>
public abstract class SiloFixture : IAsyncLifetime
{
    /// <summary>How long the Silo may take to start listening (a cold start JITs the whole host).</summary>
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private SiloProcess? _silo;

    /// <summary>The running Silo.</summary>
    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The Silo has not been started.");

    /// <summary>The Silo's MQTT-over-TCP port on 127.0.0.1.</summary>
    public int Port => Silo.TcpPort;

    /// <summary>A topic no other test uses: <c>silo-tests/{name}/{guid}</c>.</summary>
    public static string UniqueTopic(string name) => $"silo-tests/{name}/{Guid.NewGuid():N}";

    /// <summary>A client identifier no other test uses.</summary>
    public static string UniqueClientId(string name) => $"{name}-{Guid.NewGuid():N}";

    /// <summary>Starts mosquitto_sub and waits for its SUBACK.</summary>
    public Task<MosquittoSubscriber> SubscribeAsync(
        MqttProtocolVersion version, string topicFilter, MqttQoS qos, params string[] extraArguments) =>
        MosquittoSubscriber.StartAsync(Port, version, topicFilter, qos, extraArguments, Silo.DescribeLog);

    /// <summary>Runs mosquitto_pub to completion; a null <paramref name="payload"/> is a zero-length one.</summary>
    public Task PublishAsync(
        MqttProtocolVersion version, string topic, string? payload, MqttQoS qos, params string[] extraArguments) =>
        MosquittoPublisher.PublishAsync(Port, version, topic, payload, qos, extraArguments, Silo.DescribeLog);

    /// <summary>Publishes each payload as one message, in order, over one connection.</summary>
    public Task PublishLinesAsync(MqttProtocolVersion version, string topic, IReadOnlyList<string> payloads, MqttQoS qos) =>
        MosquittoPublisher.PublishLinesAsync(Port, version, topic, payloads, qos, Silo.DescribeLog);

    /// <inheritdoc />
    public async Task InitializeAsync() => _silo = await SiloProcess.StartAsync(Arguments, StartupTimeout);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    /// <summary>Configuration for the Silo beyond the ephemeral ports, as <c>--Section:Key value</c> pairs.</summary>
    protected abstract IReadOnlyList<string> Arguments { get; }
}
