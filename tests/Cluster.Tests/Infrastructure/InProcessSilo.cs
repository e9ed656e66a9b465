using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>
/// A silo of a real cluster inside the test process: grain runtime with <see cref="CounterGrain"/>, PostgreSQL
/// membership and storage, silo port on 127.0.0.1 chosen by the OS. Disposing stops it gracefully if it still runs.
/// </summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private InProcessSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public string Name => _host.Services.GetRequiredService<IObserverRegistry>().SiloName;

    public GrainRuntime Runtime => _host.Services.GetRequiredService<GrainRuntime>();

    internal ClusterSiloService Cluster => _host.Services.GetRequiredService<ClusterSiloService>();

    internal SiloAddress Address => _host.Services.GetRequiredService<ClusterIdentity>().Address;

    internal ClusterMessageCenter MessageCenter => _host.Services.GetRequiredService<ClusterMessageCenter>();

    public static async Task<InProcessSilo> StartAsync(string deploymentId, string name, Action<ClusterOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrainRuntime(o =>
        {
            o.SiloName = name;
            o.ResponseTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddGrain<CounterGrain>("counter");
        builder.Services.AddClusterMessageTypes(o => o.AddType<Add>("test.add").AddType<Counted>("test.counted"));
        builder.Services.AddPostgresCluster(ClusterRole.Silo, o =>
        {
            o.ConnectionString = TestDatabase.ConnectionString;
            o.DeploymentId = deploymentId;
            o.SiloPort = 0;
            o.FailFastWhenDeclaredDead = false;
            configure?.Invoke(o);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessSilo(host);
    }

    /// <summary>Leaves the cluster gracefully (grains handed over with their state, row written dead).</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _host.StopAsync();
    }

    /// <summary>
    /// Disappears as a killed process would: its listener and links close, nothing is written to the table, no grain
    /// state is written. Its peers must find out by probing.
    /// </summary>
    public async Task CrashAsync()
    {
        _stopped = true;
        await Cluster.DisposeAsync();
        Runtime.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await _host.StopAsync();
        }

        _host.Dispose();
    }
}
