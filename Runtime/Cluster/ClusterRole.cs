namespace GrainMQ.Runtime.Cluster;

/// <summary>What a process is in the cluster (carried in the transport handshake).</summary>
public enum ClusterRole : byte
{
    /// <summary>Hosts grains, is in the membership table, probes its peers.</summary>
    Silo = 1,

    /// <summary>A gateway process: hosts no grains, reads the membership table, connects to silos, holds observers.</summary>
    Client = 2,
}
