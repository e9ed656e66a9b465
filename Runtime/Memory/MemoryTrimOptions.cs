using Microsoft.Extensions.Configuration;

namespace GrainMQ.Runtime.Memory;

/// <summary>
/// Configuration section <c>Memory</c>: when the process gives memory back after hibernation. Deactivating idle grains
/// drops their objects, but the garbage collector returns pages to the operating system only when it collects, and an
/// idle process allocates too little to trigger a collection: without a trim the resident set stays where the last
/// burst left it. See docs/architecture.md, "Hibernation and memory".
/// </summary>
public sealed class MemoryTrimOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Memory";

    /// <summary><c>Memory:TrimAfterHibernation</c>: compact the heap and release its free pages once enough activations were deactivated and the process is quiet.</summary>
    public bool TrimAfterHibernation { get; set; } = true;

    /// <summary><c>Memory:TrimAfterDeactivations</c>: deactivations since the last trim that make a trim worth its pause.</summary>
    public int TrimAfterDeactivations { get; set; } = 1_000;

    /// <summary><c>Memory:TrimCheckInterval</c>: how often the conditions are checked (also the window the allocation rate is measured over).</summary>
    public TimeSpan TrimCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Memory:TrimMaxAllocationRate</c>: bytes per second allocated during the last check interval above which the process counts as busy and is not trimmed (a busy process collects anyway).</summary>
    public long TrimMaxAllocationRate { get; set; } = 1024 * 1024;

    /// <summary><c>Memory:MinTrimInterval</c>: the shortest time between two trims, which bounds how often the blocking full collection can pause the process.</summary>
    public TimeSpan MinTrimInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Reads the <c>Memory</c> keys (absent keys keep their defaults). Throws <see cref="InvalidOperationException"/>
    /// naming the key when a value cannot be read or is out of range.
    /// </summary>
    public static MemoryTrimOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new MemoryTrimOptions();
        options.TrimAfterHibernation = Read(configuration, nameof(TrimAfterHibernation), options.TrimAfterHibernation, bool.TryParse);
        options.TrimAfterDeactivations = Read(configuration, nameof(TrimAfterDeactivations), options.TrimAfterDeactivations, SettingReader.TryParseInt);
        options.TrimCheckInterval = Read(configuration, nameof(TrimCheckInterval), options.TrimCheckInterval, SettingReader.TryParseInterval);
        options.TrimMaxAllocationRate = Read(configuration, nameof(TrimMaxAllocationRate), options.TrimMaxAllocationRate, SettingReader.TryParseLong);
        options.MinTrimInterval = Read(configuration, nameof(MinTrimInterval), options.MinTrimInterval, SettingReader.TryParseInterval);
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when a value is out of range.</summary>
    public void Validate()
    {
        Require(TrimAfterDeactivations >= 1, nameof(TrimAfterDeactivations), "must be at least 1");
        Require(TrimCheckInterval > TimeSpan.Zero, nameof(TrimCheckInterval), "must be positive");
        Require(TrimMaxAllocationRate >= 0, nameof(TrimMaxAllocationRate), "must not be negative");
        Require(MinTrimInterval >= TimeSpan.Zero, nameof(MinTrimInterval), "must not be negative");
    }

    private static T Read<T>(IConfiguration configuration, string key, T defaultValue, SettingReader.TryParse<T> parse) =>
        SettingReader.Read(configuration, SectionName, key, defaultValue, parse);

    private static void Require(bool condition, string key, string message) =>
        SettingReader.Require(condition, SectionName, key, message);
}
