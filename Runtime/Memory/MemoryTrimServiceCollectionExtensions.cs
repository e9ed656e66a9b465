using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrainMQ.Runtime.Memory;

/// <summary>Registration of the memory trimmer.</summary>
public static class MemoryTrimServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MemoryTrimService"/> as a hosted service with the <c>Memory</c> section of
    /// <paramref name="configuration"/> (read now; a bad value throws here). Needs <see cref="IRuntimeStatistics"/> (AddGrainRuntime).
    /// </summary>
    public static IServiceCollection AddMemoryTrim(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(Options.Create(MemoryTrimOptions.FromConfiguration(configuration)));
        services.AddSingleton<MemoryTrimService>();
        services.AddHostedService(provider => provider.GetRequiredService<MemoryTrimService>());
        return services;
    }
}
