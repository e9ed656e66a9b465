using GrainMQ.Runtime.Memory;
using GrainMQ.Runtime.Tests.Cgroups;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrainMQ.Runtime.Tests.Memory;

public sealed class MemoryTrimServiceTests
{
    [Fact]
    public async Task A_full_compacting_collection_runs_after_the_configured_number_of_grains_hibernated()
    {
        const int Grains = 20;
        await using var host = await TestHost.StartAsync();
        var options = new MemoryTrimOptions
        {
            TrimAfterDeactivations = Grains,
            TrimCheckInterval = TimeSpan.FromMilliseconds(20),
            TrimMaxAllocationRate = long.MaxValue,
            MinTrimInterval = TimeSpan.Zero,
        };
        var trimmer = new MemoryTrimService(
            Microsoft.Extensions.Options.Options.Create(options), host.Statistics, NullLogger<MemoryTrimService>.Instance);
        var trimmed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        trimmer.Trimmed += count => trimmed.TrySetResult(count);
        var fullCollectionsBefore = GC.CollectionCount(GC.MaxGeneration);

        await trimmer.StartAsync(CancellationToken.None);
        for (var i = 0; i < Grains; i++)
        {
            var grain = host.Grain(CounterGrain.Type, "trim-" + i);
            grain.Tell(new Increment());
            Assert.Equal(1, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
        }

        Assert.False(trimmed.Task.IsCompleted);
        host.Runtime.GrainTypes.SetIdleTimeout(CounterGrain.Type, TimeSpan.FromMilliseconds(50));

        Assert.Equal(1, await trimmed.Task.WaitAsync(TestHost.Patience));
        Assert.True(host.StatisticsOf(CounterGrain.Type).Deactivations >= Grains);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollectionsBefore);
        await trimmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void A_mistyped_memory_setting_stops_the_start_with_the_key_named()
    {
        var configuration = new KeyValueConfiguration(("Memory:TrimAfterDeactivations", "many"));
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddMemoryTrim(configuration));
        Assert.Contains("Memory:TrimAfterDeactivations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_memory_settings_are_read_from_configuration()
    {
        var configuration = new KeyValueConfiguration(
            ("Memory:TrimAfterHibernation", "false"),
            ("Memory:TrimAfterDeactivations", "50"),
            ("Memory:TrimCheckInterval", "00:00:05"),
            ("Memory:TrimMaxAllocationRate", "1024"),
            ("Memory:MinTrimInterval", "00:10:00"));
        var options = MemoryTrimOptions.FromConfiguration(configuration);
        Assert.False(options.TrimAfterHibernation);
        Assert.Equal(50, options.TrimAfterDeactivations);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TrimCheckInterval);
        Assert.Equal(1024, options.TrimMaxAllocationRate);
        Assert.Equal(TimeSpan.FromMinutes(10), options.MinTrimInterval);
    }
}
