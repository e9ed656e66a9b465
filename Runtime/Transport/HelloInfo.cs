using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Membership;

namespace GrainMQ.Runtime.Transport;

/// <summary>Who is at the other end of a connection, as its first frame says.</summary>
internal sealed record HelloInfo(string Name, ClusterRole Role, SiloAddress Address)
{
    public byte[] Encode()
    {
        var writer = FrameWriter.Rent(FrameKind.Hello);
        writer.WriteString(Name);
        writer.WriteByte((byte)Role);
        writer.WriteString(Address.Host);
        writer.WriteInt32(Address.Port);
        writer.WriteInt64(Address.Generation);
        return writer.ToArray();
    }

    public static HelloInfo Decode(ReadOnlySpan<byte> frame)
    {
        var reader = new FrameReader(frame);
        if ((FrameKind)reader.ReadByte() != FrameKind.Hello)
        {
            throw new InvalidDataException("handshake: the first frame is not a hello");
        }

        var name = reader.ReadString();
        var role = (ClusterRole)reader.ReadByte();
        if (role is not (ClusterRole.Silo or ClusterRole.Client))
        {
            throw new InvalidDataException("handshake: unknown role");
        }

        return new HelloInfo(name, role, new SiloAddress(reader.ReadString(), reader.ReadInt32(), reader.ReadInt64()));
    }
}
