namespace GrainMQ.Observability.Tests.Infrastructure;

internal static class TestIds
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}
