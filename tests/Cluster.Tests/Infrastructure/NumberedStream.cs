using System.Globalization;
using System.Text;
using GrainMQ.Protocol;

namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>
/// A steady stream of numbered messages through one gateway, at most <c>window</c> flows open; a number is recorded
/// once its flow completed (PUBACK for QoS 1, PUBCOMP for QoS 2). When the connection breaks (the session's silo
/// died) it connects again with a new client id and goes on with new numbers.
/// </summary>
internal static class NumberedStream
{
    public static async Task RunAsync(
        int port, string topic, MqttQoS qos, uint sessionExpiry, int window, AcknowledgedNumbers completed, CancellationToken stop)
    {
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            TestMqttClient publisher;
            try
            {
                (publisher, _) = await TestMqttClient.ConnectAsync(port, ProcessCluster.Unique("streamer"), sessionExpiry: sessionExpiry);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                continue;
            }

            await using (publisher)
            {
                var open = new Queue<(int Number, Task Completed)>();
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        if (open.Count >= window)
                        {
                            var (number, flow) = open.Dequeue();
                            await flow.WaitAsync(TimeSpan.FromSeconds(30));
                            completed.Add(number);
                        }

                        var sent = next++;
                        var flowTask = await publisher.StartPublishAsync(topic, Encoding.UTF8.GetBytes(sent.ToString(CultureInfo.InvariantCulture)), qos);
                        open.Enqueue((sent, flowTask));
                    }

                    while (open.TryDequeue(out var last))
                    {
                        await last.Completed.WaitAsync(TimeSpan.FromSeconds(30));
                        completed.Add(last.Number);
                    }
                }
                catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                    // The connection broke: what completed is recorded; the rest never completed for the publisher.
                    while (open.TryDequeue(out var pending))
                    {
                        if (pending.Completed.IsCompletedSuccessfully)
                        {
                            completed.Add(pending.Number);
                        }
                    }
                }
            }
        }
    }
}
