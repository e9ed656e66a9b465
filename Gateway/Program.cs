using GrainMQ.Gateway;

var app = GatewayHost.Build(args);
await app.RunAsync();
