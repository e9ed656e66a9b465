namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>A Silo with its default configuration.</summary>
public sealed class DefaultSiloFixture : SiloFixture
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Arguments => [];
}

/// <summary>The tests that share one <see cref="DefaultSiloFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DefaultSiloCollection : ICollectionFixture<DefaultSiloFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Silo with default configuration";
}
