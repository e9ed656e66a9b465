using GrainMQ.Silo;

var app = GrainMqHost.Build(args);
await app.RunAsync();
