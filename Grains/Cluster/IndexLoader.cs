using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Retained;
using GrainMQ.Grains.Routing;
using GrainMQ.Grains.Topics;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Grains.Cluster;

/// <summary>
/// Runs while a silo joins the cluster (after it is in the membership table, so broadcasts already reach it, and
/// before it owns any grain): reads every stored topic grain and retained grain state and fills this silo's
/// indexes, then applies the changes broadcast meanwhile (<see cref="IndexReplicator"/>).
/// </summary>
internal sealed partial class IndexLoader(
    IGrainStorage storage,
    IStateCodec<TopicState> topicCodec,
    IStateCodec<RetainedState> retainedCodec,
    SubscriptionIndex subscriptions,
    RetainedIndex retained,
    IndexReplicator replicator,
    ILogger<IndexLoader> logger) : IClusterStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (storage is not IGrainStateScanner scanner)
        {
            return;
        }

        replicator.BeginLoad();
        var subscriptionCount = 0;
        var retainedCount = 0;
        try
        {
            await foreach (var (filter, bytes) in scanner.ScanAsync(GrainTypes.Topic, cancellationToken))
            {
                foreach (var (clientId, options) in topicCodec.Decode(bytes.Span).Subscribers)
                {
                    subscriptions.Add(filter, clientId, options);
                    subscriptionCount++;
                }
            }

            await foreach (var (_, bytes) in scanner.ScanAsync(GrainTypes.Retained, cancellationToken))
            {
                if (retainedCodec.Decode(bytes.Span).Message is { } message)
                {
                    retained.Set(message);
                    retainedCount++;
                }
            }
        }
        finally
        {
            replicator.EndLoad();
        }

        LogLoaded(logger, subscriptionCount, retainedCount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing indexes loaded from storage: {Subscriptions} subscriptions, {Retained} retained messages")]
    private static partial void LogLoaded(ILogger logger, int subscriptions, int retained);
}
