using GrainMQ.Gateway.Cluster;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Gateway;

/// <summary>
/// Builds the gateway as its own process: it holds client sockets only and joins the cluster as a client (reads the
/// membership table, connects to every silo, routes each call to the silo that owns the target grain, receives the
/// deliveries for its sockets). <c>Cluster:ConnectionString</c> is required: a gateway alone has no grains to talk to.
/// </summary>
public static class GatewayHost
{
    /// <summary>The prefix of environment variables read as configuration (<c>GRAINMQ_Mqtt__Tcp__Port=1884</c>).</summary>
    public const string EnvironmentPrefix = "GRAINMQ_";

    /// <summary>
    /// Builds the gateway process. Configuration, lowest precedence first: <c>appsettings.json</c> beside the binary if
    /// present, environment variables (all, then the <see cref="EnvironmentPrefix"/> ones), the command line, then
    /// <paramref name="configure"/>. Keys: <c>Cluster:*</c>, <c>Mqtt:*</c> and <c>Runtime:*</c>, as for the silo.
    /// </summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = CreateBuilder(args, configure);
        var configuration = builder.Configuration;
        if (!ClusterSetup.IsConfigured(configuration))
        {
            throw new InvalidOperationException(
                "The gateway process joins a cluster: set Cluster:ConnectionString (and Cluster:DeploymentId) to the silos' database.");
        }

        builder.Services.AddGrainRuntime();
        var runtime = builder.Services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection("Runtime"));
        if (string.IsNullOrWhiteSpace(configuration["Runtime:SiloName"]))
        {
            runtime.Configure(static o => o.SiloName = "gateway-" + Environment.MachineName);
        }

        builder.Services.AddGrainMqCluster(configuration, ClusterRole.Client);
        builder.Services.AddMqttGateway(configuration);
        var app = builder.Build();
        app.UseMqttWebSockets();
        return app;
    }

    /// <summary>
    /// The host builder both broker processes start from: content root beside the binary (its <c>appsettings.json</c>),
    /// then environment variables (all, then the <see cref="EnvironmentPrefix"/> ones), the command line and
    /// <paramref name="configure"/>, lowest precedence first.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<IConfigurationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddCommandLine(args);
        configure?.Invoke(builder.Configuration);
        return builder;
    }
}
