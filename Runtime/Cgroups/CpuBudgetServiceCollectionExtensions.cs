using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GrainMQ.Runtime.Cgroups;

/// <summary>Registration of the cgroup-aware CPU budget.</summary>
public static class CpuBudgetServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CpuBudgetService"/> as a hosted service and as <see cref="ICpuBudgetMonitor"/>, with the
    /// <c>Scheduling</c> section of <paramref name="configuration"/> (read now; a bad value throws here) and a
    /// <see cref="CgroupReader"/> over "/" unless one is registered. Needs an <see cref="IGrainScheduler"/> (AddGrainRuntime).
    /// </summary>
    public static IServiceCollection AddCpuBudget(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(Options.Create(SchedulingOptions.FromConfiguration(configuration)));
        services.TryAddSingleton(new CgroupReader());
        services.AddSingleton<CpuBudgetService>();
        services.AddSingleton<ICpuBudgetMonitor>(provider => provider.GetRequiredService<CpuBudgetService>());
        services.AddHostedService(provider => provider.GetRequiredService<CpuBudgetService>());
        return services;
    }
}
