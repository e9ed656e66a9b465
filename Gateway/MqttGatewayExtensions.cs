using GrainMQ.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wires the MQTT gateway into an ASP.NET Core host.</summary>
public static class MqttGatewayExtensions
{
    /// <summary>
    /// Registers the MQTT gateway: <see cref="MqttOptions"/> bound from <c>Mqtt</c> (validated at start), the Kestrel
    /// listeners for MQTT over TCP and WebSocket, <see cref="GatewayCounters"/> and <see cref="MqttListeners"/>. The
    /// grain runtime (<c>IGrainFactory</c>, <c>IObserverRegistry</c>) must be registered too.
    /// </summary>
    public static IServiceCollection AddMqttGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>());
        services.TryAddSingleton<GatewayCounters>();
        services.TryAddSingleton<MqttListeners>();
        services.TryAddSingleton<MqttConnectionTracker>();
        services.TryAddSingleton<MqttGateway>();
        services.AddSingleton<MqttKestrelSetup>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(provider => provider.GetRequiredService<MqttKestrelSetup>());
        services.AddSingleton<IConfigureOptions<SocketTransportOptions>>(provider => provider.GetRequiredService<MqttKestrelSetup>());
        services.AddHostedService<MqttGatewayService>();
        return services;
    }

    /// <summary>Adds MQTT over WebSocket to the request pipeline (it only answers on the WebSocket listener's port).</summary>
    public static IApplicationBuilder UseMqttWebSockets(this IApplicationBuilder app)
    {
        app.UseWebSockets();
        app.UseMiddleware<MqttWebSocketMiddleware>();
        return app;
    }
}
