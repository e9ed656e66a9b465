using BenchmarkDotNet.Attributes;
using GrainMQ.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Benchmarks;

/// <summary>
/// The runtime's message path: a request/response round trip to an existing activation, and one-way messages
/// (a batch of <see cref="TellBatch"/> Tells to one activation, timed until the grain has processed the last one).
/// </summary>
[MemoryDiagnoser]
public class RuntimeBenchmarks
{
    private const int TellBatch = 1000;
    private static readonly BenchPing Ping = new();

    private ServiceProvider? _services;
    private GrainRuntime? _runtime;
    private TellCompletion? _completion;
    private GrainReference _echo;
    private GrainReference _counter;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TellCompletion>();
        services.AddGrainRuntime(options => options.SchedulerWorkers = Environment.ProcessorCount);
        services.AddGrain<EchoGrain>("bench-echo");
        services.AddGrain<CountdownGrain>("bench-countdown");
        _services = services.BuildServiceProvider();
        _runtime = _services.GetRequiredService<GrainRuntime>();
        _completion = _services.GetRequiredService<TellCompletion>();
        var grains = _services.GetRequiredService<IGrainFactory>();
        _echo = grains.GetGrain("bench-echo", "1");
        _counter = grains.GetGrain("bench-countdown", "1");
        _echo.AskAsync(Ping).GetAwaiter().GetResult();
        _counter.AskAsync(Ping).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runtime!.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _services!.Dispose();
    }

    [Benchmark(Description = "Grain call round trip (AskAsync)")]
    public Task<object?> AskRoundTrip() => _echo.AskAsync(Ping);

    [Benchmark(Description = "One-way message (Tell)", OperationsPerInvoke = TellBatch)]
    public Task OneWayTell()
    {
        var done = _completion!.Expect(TellBatch);
        for (var i = 0; i < TellBatch; i++)
        {
            _counter.Tell(Ping);
        }

        return done;
    }

    private sealed record BenchPing;

    /// <summary>Completes when the countdown grain has processed the expected number of messages.</summary>
    private sealed class TellCompletion
    {
        private TaskCompletionSource _done = new();
        private int _remaining;

        public Task Expect(int messages)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _remaining, messages);
            return _done.Task;
        }

        public void Count()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }
        }
    }

    private sealed class EchoGrain : Grain
    {
        public override ValueTask<object?> ReceiveAsync(object message) => new(message);
    }

    private sealed class CountdownGrain : Grain
    {
        private readonly TellCompletion _completion;

        public CountdownGrain(TellCompletion completion) => _completion = completion;

        public override ValueTask<object?> ReceiveAsync(object message)
        {
            _completion.Count();
            return default;
        }
    }
}
