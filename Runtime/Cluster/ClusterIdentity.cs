using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Transport;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// Who this process is in the cluster. The name is unique per incarnation (the configured silo name plus the
/// generation), because observer ids carry it and are stored in session state: a restarted process must never
/// receive messages meant for connections of its previous life. A silo's address is known once its port is bound.
/// </summary>
internal sealed class ClusterIdentity
{
    public ClusterIdentity(ClusterRole role, string name, long generation)
    {
        Role = role;
        Name = name;
        Generation = generation;
        Address = new SiloAddress(name, 0, generation);
    }

    public ClusterRole Role { get; }

    public string Name { get; }

    public long Generation { get; }

    /// <summary>A silo's advertised address (set when its listener is bound); a gateway's is its name with port 0.</summary>
    public SiloAddress Address { get; set; }

    public HelloInfo Hello => new(Name, Role, Address);
}
