using System.Text.Json.Serialization;
using GrainMQ.LoadGen.Workers;

namespace GrainMQ.LoadGen.Reporting;

/// <summary>Source-generated JSON for worker lines and the <c>--json</c> summary, in snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WorkerMessage))]
[JsonSerializable(typeof(SummaryReport))]
internal sealed partial class LoadGenJson : JsonSerializerContext;
