using GrainMQ.Gateway;
using GrainMQ.Gateway.Cluster;
using GrainMQ.Grains;
using GrainMQ.Observability;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cgroups;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Memory;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace GrainMQ.Silo;

/// <summary>
/// Builds a whole broker (grain runtime, broker grains, MQTT gateway) as one ASP.NET Core host, so that
/// <c>Program</c> and in-process tests start exactly the same thing.
/// </summary>
public static class GrainMqHost
{
    /// <summary>The prefix of environment variables read as configuration (<c>GRAINMQ_Mqtt__Tcp__Port=1884</c>).</summary>
    public const string EnvironmentPrefix = GatewayHost.EnvironmentPrefix;

    /// <summary>
    /// Builds the broker. Configuration, lowest precedence first: <c>appsettings.json</c> beside the binary (the
    /// defaults written out), <c>appsettings.{Environment}.json</c>, environment variables (all, then the
    /// <see cref="EnvironmentPrefix"/> ones), the command line (<c>--Mqtt:Tcp:Port 0</c>), then
    /// <paramref name="configure"/> (tests use it to pick port 0 and short timeouts).
    /// </summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = GatewayHost.CreateBuilder(args, configure);
        var configuration = builder.Configuration;

        // Kestrel reads IOQueueCount only when it starts, and the scheduler should start at its final size, so the
        // CPU budget is computed once here; CpuBudgetService then re-reads the cgroup and resizes what can change.
        var cpu = CpuBudget.ComputeAtStartup(configuration);
        builder.Services.Configure<SocketTransportOptions>(o => o.IOQueueCount = cpu.IOQueueCount);
        builder.Services.AddGrainRuntime();
        builder.Services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection("Runtime"))
            .PostConfigure(o =>
            {
                if (cpu.Managed)
                {
                    o.SchedulerWorkers = cpu.SchedulerWorkers;
                }
            });
        builder.Services.AddCpuBudget(configuration);
        builder.Services.AddMemoryTrim(configuration);
        builder.Services.AddGrainMqBroker(configuration);
        if (ClusterSetup.IsConfigured(configuration))
        {
            builder.Services.AddGrainMqCluster(configuration, ClusterRole.Silo);
            if (configuration["Session:AcknowledgeAfterPersist"] is null)
            {
                builder.Services.PostConfigure<GrainMQ.Grains.Options.SessionOptions>(static o => o.AcknowledgeAfterPersist = true);
            }
        }

        builder.Services.AddMqttGateway(configuration);
        builder.Services.AddGrainMqObservability(configuration);

        var app = builder.Build();
        app.UseMqttWebSockets();
        app.UseGrainMqObservability();
        return app;
    }
}
