using System.Collections.Concurrent;
using GrainMQ.Runtime.Cluster;

namespace GrainMQ.Runtime.Membership;

// Failure detection. Each silo probes up to ProbedSilos peers: its successors in the address order of the active
// silos, so that every silo is watched by several others. A probe is a ping over the silo link, answered within
// ProbeTimeout or missed (a refused connection misses at once). After MissedProbesLimit misses in a row the prober
// adds its vote to the target's row; when the fresh votes reach min(VotesForDeath, ceil(active / 2)) the voter writes
// the target dead. Both writes are version-conditioned like every membership write.
internal sealed partial class MembershipAgent
{
    private readonly ConcurrentDictionary<SiloAddress, int> _missed = new();
    private readonly ConcurrentDictionary<SiloAddress, Task> _probes = new();

    private Task ProbeAsync(CancellationToken cancellationToken)
    {
        foreach (var target in ChooseProbeTargets())
        {
            if (_probes.TryGetValue(target, out var running) && !running.IsCompleted)
            {
                continue;
            }

            _probes[target] = ProbeOneAsync(target, cancellationToken);
        }

        return Task.CompletedTask;
    }

    private List<SiloAddress> ChooseProbeTargets()
    {
        var active = new List<SiloAddress>();
        foreach (var entry in _center.View.Snapshot.Entries)
        {
            if (entry.Status == SiloStatus.Active || entry.Address == Self)
            {
                active.Add(entry.Address);
            }
        }

        active.Sort(static (a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        var targets = new List<SiloAddress>();
        var self = active.IndexOf(Self);
        for (var i = 1; i < active.Count && targets.Count < _options.ProbedSilos; i++)
        {
            targets.Add(active[(self + i) % active.Count]);
        }

        return targets;
    }

    private async Task ProbeOneAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        if (await _center.PingAsync(target, _options.ProbeTimeout))
        {
            _missed.TryRemove(target, out _);
            return;
        }

        var missed = _missed.AddOrUpdate(target, 1, static (_, count) => count + 1);
        if (missed < _options.MissedProbesLimit || cancellationToken.IsCancellationRequested)
        {
            return;
        }

        ClusterLog.ProbesMissed(_logger, target, missed);
        try
        {
            await SuspectAsync(target, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ClusterLog.TableFailed(_logger, ex);
        }
    }

    /// <summary>Adds this silo's vote against <paramref name="target"/>, declaring it dead when the votes suffice.</summary>
    internal async Task SuspectAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken);
            if (snapshot.Find(target) is not { } entry || entry.Status == SiloStatus.Dead)
            {
                await RefreshAsync(cancellationToken);
                return;
            }

            var now = DateTimeOffset.UtcNow;
            var votes = new List<SuspectVote>();
            foreach (var vote in entry.SuspectVotes)
            {
                if (vote.Voter != Self && now - vote.Time < _options.DeathVoteExpiration)
                {
                    votes.Add(vote);
                }
            }

            votes.Add(new SuspectVote(Self, now));
            var active = 0;
            foreach (var other in snapshot.Entries)
            {
                active += other.Status == SiloStatus.Active ? 1 : 0;
            }

            var required = Math.Max(1, Math.Min(_options.VotesForDeath, (active + 1) / 2));
            var dead = votes.Count >= required;
            var updated = entry with { SuspectVotes = votes, Status = dead ? SiloStatus.Dead : entry.Status };
            if (await _table.UpdateAsync(updated, snapshot.Version, cancellationToken))
            {
                if (dead)
                {
                    ClusterLog.DeclaredDead(_logger, target, votes.Count);
                    _missed.TryRemove(target, out _);
                }
                else
                {
                    ClusterLog.VotedSuspect(_logger, target, votes.Count, required);
                }

                await RefreshAsync(cancellationToken);
                _center.AnnounceMembershipChange();
                return;
            }
        }
    }
}
