using Microsoft.AspNetCore.Connections;

namespace GrainMQ.Gateway;

/// <summary>Kestrel's entry point for MQTT over TCP: each accepted socket becomes one <see cref="MqttConnection"/>.</summary>
internal sealed class MqttConnectionHandler(MqttGateway gateway) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) =>
        gateway.RunConnectionAsync(connection.Transport, connection.Abort, connection.RemoteEndPoint, MqttTransport.Tcp);
}
