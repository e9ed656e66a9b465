namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>
/// Two silos (each co-hosting a gateway) and two gateway processes in one deployment on the test database, started
/// in parallel. A test collection shares one; the crash test starts its own.
/// </summary>
public sealed class ProcessCluster : IAsyncLifetime
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);

    private readonly List<ClusterProcess> _processes = [];
    private readonly string[] _siloArguments;

    public ProcessCluster()
        : this([])
    {
    }

    /// <summary>A cluster whose silos get <paramref name="siloArguments"/> (<c>--Section:Key value</c> pairs) too.</summary>
    internal ProcessCluster(string[] siloArguments) => _siloArguments = siloArguments;

    public string DeploymentId { get; } = TestDatabase.NewDeploymentId("processes");

    public ClusterProcess SiloA => _processes[0];

    public ClusterProcess SiloB => _processes[1];

    public ClusterProcess GatewayA => _processes[2];

    public ClusterProcess GatewayB => _processes[3];

    public IReadOnlyList<ClusterProcess> Silos => [SiloA, SiloB];

    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        // Silos first (in parallel): a gateway process needs an active silo to route to.
        var silos = await Task.WhenAll(
            ClusterProcess.StartAsync(silo: true, DeploymentId, "silo-a", StartupTimeout, _siloArguments),
            ClusterProcess.StartAsync(silo: true, DeploymentId, "silo-b", StartupTimeout, _siloArguments));
        _processes.AddRange(silos);
        var gateways = await Task.WhenAll(
            ClusterProcess.StartAsync(silo: false, DeploymentId, "gateway-a", StartupTimeout),
            ClusterProcess.StartAsync(silo: false, DeploymentId, "gateway-b", StartupTimeout));
        _processes.AddRange(gateways);
        await WaitUntilAllSeeTwoSilosAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>The silo whose log says it activated <paramref name="grain"/> (e.g. <c>session/client-1</c>).</summary>
    public async Task<ClusterProcess> OwnerOfAsync(string grain)
    {
        var marker = "Activated grain " + grain;
        var found = await Task.WhenAny(
            SiloA.WaitForLogAsync(l => l.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(30)),
            SiloB.WaitForLogAsync(l => l.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(30)));
        await found;
        return SiloA.HasLogged(l => l.Contains(marker, StringComparison.Ordinal)) ? SiloA : SiloB;
    }

    // Each process logs "Membership view N: 2 active silos" once it routes over both.
    private async Task WaitUntilAllSeeTwoSilosAsync()
    {
        foreach (var process in _processes)
        {
            await process.WaitForLogAsync(l => l.Contains(": 2 active silos", StringComparison.Ordinal), StartupTimeout);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ProcessClusterCollection : ICollectionFixture<ProcessCluster>
{
    public const string Name = "process cluster";
}
