using System.Globalization;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Observability.Tests.Infrastructure;
using GrainMQ.Protocol;
using Microsoft.Playwright;
using static GrainMQ.Observability.Tests.Infrastructure.TestIds;

namespace GrainMQ.Observability.Tests;

public sealed class DashboardBrowserTests
{
    private const int Publishers = 3;

    private static readonly TimeSpan PublishingLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dashboard_loads_without_console_errors_shows_a_new_client_and_its_chart_moves_while_a_publisher_runs()
    {
        await using var broker = await ObservedBroker.StartAsync(("Metrics:DashboardInterval", "00:00:00.500"), ("Runtime:SiloName", "silo-1"));
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var disposePlaywright = playwright;
        await using var disposeBrowser = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 1000 } });
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.RequestFailed += (_, request) =>
        {
            if (!request.Url.EndsWith("/api/stream", StringComparison.Ordinal))
            {
                problems.Add($"request failed: {request.Url} {request.Failure}");
            }
        };

        await page.GotoAsync(broker.BaseUri.ToString());
        await Assertions.Expect(page.Locator("#live-text")).ToHaveTextAsync("live");
        Assert.Equal("silo-1", await page.Locator("#silo-name").TextContentAsync());

        // A client connects a moment before we look for it.
        var clientId = Unique("dash-client");
        await using var subscriber = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, clientId, MqttProtocolVersion.V500);
        var topic = "plant/" + Unique("line") + "/temp";
        await subscriber.SubscribeAsync("plant/+/temp", MqttQoS.AtLeastOnce);

        using var stopPublishing = new CancellationTokenSource(PublishingLimit);
        Task[] publishing = [.. Enumerable.Range(0, Publishers).Select(_ => PublishUntilCancelledAsync(broker, topic, stopPublishing.Token))];
        try
        {
            // The msg/s chart moves: its latest "in" point rises above zero, over more points than it had.
            var chart = page.Locator("#chart-rate");
            var pointsBefore = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);
            await page.WaitForFunctionAsync(
                "([before]) => { const c = document.getElementById('chart-rate'); return Number(c.dataset.messagesInRate) > 0 && Number(c.dataset.points) > before; }",
                new object[] { pointsBefore },
                new PageWaitForFunctionOptions { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("#k-connections")).ToHaveTextAsync((Publishers + 1).ToString(CultureInfo.InvariantCulture));
            await SaveScreenshotAsync(page, "dashboard.png");

            await page.Locator("#tabs a[data-tab=clients]").ClickAsync();
            var row = page.Locator($"#t-clients tr[data-client-id='{clientId}']");
            await Assertions.Expect(row).ToContainTextAsync("connected");
            await row.ClickAsync();
            await Assertions.Expect(page.Locator("#client-title")).ToHaveTextAsync("Session " + clientId);
            await Assertions.Expect(page.Locator("#t-client-subs")).ToContainTextAsync("plant/+/temp");
            await SaveScreenshotAsync(page, "dashboard-clients.png");

            await page.Locator("#tabs a[data-tab=grains]").ClickAsync();
            await Assertions.Expect(page.Locator("#t-methods")).ToContainTextAsync("SessionPacket");

            await page.SetViewportSizeAsync(390, 844);
            await page.Locator("#tabs a[data-tab=overview]").ClickAsync();
            await Assertions.Expect(page.Locator("#overview")).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, "the overview scrolls sideways on a phone-sized screen");
            await SaveScreenshotAsync(page, "dashboard-phone.png", fullPage: true);
        }
        finally
        {
            await stopPublishing.CancelAsync();
            await Task.WhenAll(publishing);
        }

        Assert.Empty(problems);
    }

    private static async Task PublishUntilCancelledAsync(ObservedBroker broker, string topic, CancellationToken cancellationToken)
    {
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("dash-publisher"), MqttProtocolVersion.V500);
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            await publisher.PublishAsync(topic, "21." + i.ToString(CultureInfo.InvariantCulture), MqttQoS.AtLeastOnce);
        }
    }

    private static async Task SaveScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var directory = Path.Combine(Chromium.RepositoryRoot(), "artifacts");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), FullPage = fullPage });
    }
}
