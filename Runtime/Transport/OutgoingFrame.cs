namespace GrainMQ.Runtime.Transport;

/// <summary>
/// A serialised frame waiting in an outbox. For grain messages it keeps the envelope, so that a message still queued
/// for a silo that is declared dead can be routed again (one-way) or failed with a clear error (request).
/// </summary>
internal readonly record struct OutgoingFrame(byte[] Bytes, Envelope? Envelope);
