namespace GrainMQ.Grains.Interfaces;

// Durable delivery (cluster): a publisher's session acknowledges a QoS 1/2 PUBLISH (PUBACK/PUBREC) only after every
// subscriber session it was routed to has said the message is safe — written to storage when that session is
// persistent, accepted otherwise. Both directions are one-way (Tell), so no session ever waits on another.

/// <summary>
/// Who waits for a delivery: the publisher's session and its number for the PUBLISH. Together they identify the message:
/// every copy sent again or routed again carries the same receipt, which is how a subscriber session recognises a QoS 2
/// copy it already has.
/// </summary>
/// <param name="PublisherClientId">The client id (session grain key) of the publisher.</param>
/// <param name="Sequence">
/// The publisher session's number for this PUBLISH: increasing from the activation's time in ticks, and for a recorded
/// QoS 2 PUBLISH of a persistent session stored with it, so the same across activations.
/// </param>
public sealed record DeliveryReceipt(string PublisherClientId, long Sequence);

/// <summary>A subscriber's session tells the publisher's session that a delivery is safe (one-way).</summary>
/// <param name="Sequence">The <see cref="DeliveryReceipt.Sequence"/> of the delivery.</param>
/// <param name="SubscriberClientId">The subscriber whose session took the delivery.</param>
public sealed record DeliveryAcknowledged(long Sequence, string SubscriberClientId);
