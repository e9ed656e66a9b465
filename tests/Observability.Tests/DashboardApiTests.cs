using System.Net.Http.Json;
using System.Text.Json;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Observability.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static GrainMQ.Observability.Tests.Infrastructure.TestIds;

namespace GrainMQ.Observability.Tests;

public sealed class DashboardApiTests
{
    [Fact]
    public async Task Client_search_finds_a_connected_client_and_its_session_shows_subscriptions_queue_and_state()
    {
        await using var broker = await ObservedBroker.StartAsync();
        var clientId = Unique("searchable");
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, clientId, MqttProtocolVersion.V500);
        await client.SubscribeAsync("plant/+/temp", MqttQoS.AtLeastOnce);

        var found = await broker.Http.GetFromJsonAsync<JsonElement>("api/clients?q=" + clientId[..12].ToUpperInvariant());
        var match = Assert.Single(found.EnumerateArray());
        Assert.Equal(clientId, match.GetProperty("clientId").GetString());
        Assert.Equal("connected", match.GetProperty("state").GetString());

        var details = await broker.Http.GetFromJsonAsync<JsonElement>("api/clients/" + Uri.EscapeDataString(clientId));
        var session = details.GetProperty("session");
        Assert.True(session.GetProperty("exists").GetBoolean());
        Assert.True(session.GetProperty("connected").GetBoolean());
        Assert.Equal(0, session.GetProperty("queuedMessages").GetInt32());
        var subscription = Assert.Single(session.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal("plant/+/temp", subscription.GetProperty("filter").GetString());
    }

    [Fact]
    public async Task Inspecting_a_hibernated_session_reads_its_stored_state_without_waking_it()
    {
        await using var broker = await ObservedBroker.StartAsync(("Session:IdleTimeout", "00:00:00.300"), ("Runtime:CollectionInterval", "00:00:00.100"));
        var statistics = broker.Services.GetRequiredService<IRuntimeStatistics>();
        var clientId = Unique("dozing");
        using var events = new SessionEvents(statistics, clientId);
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, clientId, MqttProtocolVersion.V500);
        await client.SubscribeAsync("dreams/#", MqttQoS.ExactlyOnce);
        await events.HibernatedAsync(() => statistics.LiveActivations(GrainTypes.Session) > 0);

        var details = await broker.Http.GetFromJsonAsync<JsonElement>("api/clients/" + clientId);

        Assert.Equal("hibernated", details.GetProperty("state").GetString());
        Assert.Equal("dreams/#", Assert.Single(details.GetProperty("session").GetProperty("subscriptions").EnumerateArray()).GetProperty("filter").GetString());
        Assert.Equal(0, statistics.LiveActivations(GrainTypes.Session));
    }

    [Fact]
    public async Task An_unknown_client_id_is_reported_as_having_no_session()
    {
        await using var broker = await ObservedBroker.StartAsync();

        var details = await broker.Http.GetFromJsonAsync<JsonElement>("api/clients/" + Uri.EscapeDataString("no/such client"));

        Assert.Equal("offline", details.GetProperty("state").GetString());
        Assert.False(details.GetProperty("session").GetProperty("exists").GetBoolean());
    }

    [Fact]
    public async Task Topics_api_lists_filters_with_their_subscriber_counts()
    {
        await using var broker = await ObservedBroker.StartAsync();
        var root = Unique("site");
        await using var first = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("a"), MqttProtocolVersion.V500);
        await using var second = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("b"), MqttProtocolVersion.V500);
        await first.SubscribeAsync(root + "/+/temp", MqttQoS.AtLeastOnce);
        await second.SubscribeAsync(root + "/+/temp", MqttQoS.AtMostOnce);
        await second.SubscribeAsync("$share/workers/" + root + "/jobs/#", MqttQoS.AtLeastOnce);

        var topics = await broker.Http.GetFromJsonAsync<JsonElement>("api/topics?q=" + root);

        Assert.Equal(3, topics.GetProperty("subscriptions").GetInt32());
        var filters = topics.GetProperty("filters").EnumerateArray().ToDictionary(f => f.GetProperty("filter").GetString()!, f => f.GetProperty("subscribers").GetInt32());
        Assert.Equal(2, filters[root + "/+/temp"]);
        Assert.Equal(1, filters["$share/workers/" + root + "/jobs/#"]);
    }

    [Fact]
    public async Task Event_stream_sends_the_chart_history_then_a_frame_per_sample()
    {
        await using var broker = await ObservedBroker.StartAsync(("Metrics:DashboardInterval", "00:00:00.100"));
        using var response = await broker.Http.GetAsync("api/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var events = new List<(string Event, string Data)>();
        string? name = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (events.Count < 3 && await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name!, line[6..]));
            }
        }

        Assert.Equal(["history", "frame", "frame"], events.Select(e => e.Event));
        var frame = JsonDocument.Parse(events[2].Data).RootElement;
        Assert.True(frame.GetProperty("overview").TryGetProperty("messagesInRate", out _));
        Assert.Equal("session", frame.GetProperty("grainTypes").EnumerateArray().First().GetProperty("type").GetString());
    }
}
