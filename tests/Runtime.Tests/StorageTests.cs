using System.Buffers.Binary;
using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Runtime.Tests;

public sealed class StorageTests
{
    [Fact]
    public async Task In_memory_storage_counts_grains_and_bytes()
    {
        var storage = new InMemoryGrainStorage();
        var a = new GrainId("t", "a");
        var b = new GrainId("t", "b");

        await storage.WriteAsync(a, new byte[3], expectedVersion: 0, CancellationToken.None);
        await storage.WriteAsync(b, new byte[5], expectedVersion: 0, CancellationToken.None);
        await storage.WriteAsync(a, new byte[1], expectedVersion: 1, CancellationToken.None);
        Assert.Equal(2, storage.Count);
        Assert.Equal(6, storage.TotalBytes);

        await storage.ClearAsync(a, expectedVersion: 2, CancellationToken.None);
        Assert.Null(await storage.ReadAsync(a, CancellationToken.None));
        Assert.Equal(1, storage.Count);
        Assert.Equal(5, storage.TotalBytes);
    }

    [Fact]
    public async Task In_memory_storage_keeps_a_copy_of_the_written_bytes()
    {
        var storage = new InMemoryGrainStorage();
        var id = new GrainId("t", "copy");
        var buffer = new byte[] { 1, 2, 3 };

        await storage.WriteAsync(id, buffer, expectedVersion: 0, CancellationToken.None);
        buffer[0] = 9;

        var stored = await storage.ReadAsync(id, CancellationToken.None);
        Assert.Equal([1, 2, 3], stored!.Value.State.ToArray());
    }

    [Fact]
    public async Task A_registered_state_codec_replaces_the_json_default()
    {
        await using var host = await TestHost.StartAsync(register: services =>
            services.AddSingleton<IStateCodec<CounterState>, FourByteCounterCodec>());
        var id = new GrainId(CounterGrain.Type, "binary");
        var grain = host.Grains.GetGrain(id);
        var deactivated = host.NextDeactivation(id);

        for (var i = 0; i < 5; i++)
        {
            grain.Tell(new Increment());
        }

        grain.Tell(new DeactivateNow());
        Assert.Equal(DeactivationReason.Requested, await deactivated);

        var stored = await host.Storage.ReadAsync(id, CancellationToken.None);
        Assert.Equal([5, 0, 0, 0], stored!.Value.State.ToArray());
        Assert.Equal(5, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
    }

    private sealed class FourByteCounterCodec : IStateCodec<CounterState>
    {
        public byte[] Encode(CounterState state)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, state.Count);
            return bytes;
        }

        public CounterState Decode(ReadOnlySpan<byte> bytes) => new() { Count = BinaryPrimitives.ReadInt32LittleEndian(bytes) };
    }
}
