namespace GrainMQ.Protocol;

/// <summary>The control packet type, the upper four bits of the fixed header.</summary>
public enum PacketType : byte
{
    Connect = 1,
    ConnAck,
    Publish,
    PubAck,
    PubRec,
    PubRel,
    PubComp,
    Subscribe,
    SubAck,
    Unsubscribe,
    UnsubAck,
    PingReq,
    PingResp,
    Disconnect,
    Auth,
}
