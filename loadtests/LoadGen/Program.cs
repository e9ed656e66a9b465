using GrainMQ.LoadGen.Cli;

return await BenchApp.MainAsync(args).ConfigureAwait(false);
