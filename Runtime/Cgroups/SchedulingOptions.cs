using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GrainMQ.Runtime.Cgroups;

/// <summary>What to do when the cgroup has a CPU weight (a Kubernetes request) but no quota.</summary>
public enum WeightPolicy
{
    /// <summary>Ignore the weight: the budget is the cpuset (or the host). A weight is not a cap. The default.</summary>
    Cpuset,
    /// <summary>Size to the request: budget = shares / 1024 (at least one worker).</summary>
    Request,
}

/// <summary>Configuration section <c>Scheduling</c>: how the CPU budget is found and applied. See docs/cgroups.md.</summary>
public sealed class SchedulingOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Scheduling";

    /// <summary><c>Scheduling:CgroupAware</c>: read cgroups and size the process to them. False leaves the runtime's defaults alone (unless <see cref="Cpus"/> is set).</summary>
    public bool CgroupAware { get; set; } = true;

    /// <summary><c>Scheduling:Cpus</c>: the budget in CPUs, overriding whatever the cgroups say (fractional allowed, &gt; 0).</summary>
    public double? Cpus { get; set; }

    /// <summary><c>Scheduling:WeightPolicy</c>: <see cref="WeightPolicy.Cpuset"/> (default) or <see cref="WeightPolicy.Request"/>.</summary>
    public WeightPolicy WeightPolicy { get; set; } = WeightPolicy.Cpuset;

    /// <summary><c>Scheduling:WeightConversion</c>: the formula the container runtime used to turn shares into a v2 weight.</summary>
    public WeightConversion WeightConversion { get; set; } = WeightConversion.Linear;

    /// <summary><c>Scheduling:PollInterval</c>: how often the cgroup is re-read (in-place pod resize) and the counters refreshed.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Scheduling:ThreadPoolMaxPerWorker</c>: thread pool maximum = workers × this (but at least <see cref="ThreadPoolMaxFloor"/>).</summary>
    public int ThreadPoolMaxPerWorker { get; set; } = 4;

    /// <summary><c>Scheduling:ThreadPoolMaxFloor</c>: the smallest thread pool maximum, whatever the budget.</summary>
    public int ThreadPoolMaxFloor { get; set; } = 8;

    /// <summary>
    /// Reads the <c>Scheduling</c> keys through the configuration's indexer (keys that are absent keep their defaults).
    /// Throws <see cref="InvalidOperationException"/> naming the key when a value cannot be parsed or is out of range:
    /// a mistyped limit should stop the process at start, not be silently ignored.
    /// </summary>
    public static SchedulingOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new SchedulingOptions();
        options.CgroupAware = Read(configuration, nameof(CgroupAware), options.CgroupAware, bool.TryParse);
        options.Cpus = Read<double?>(configuration, nameof(Cpus), null, TryParseCpus);
        options.WeightPolicy = Read(configuration, nameof(WeightPolicy), options.WeightPolicy, TryParseEnum);
        options.WeightConversion = Read(configuration, nameof(WeightConversion), options.WeightConversion, TryParseEnum);
        options.PollInterval = Read(configuration, nameof(PollInterval), options.PollInterval, SettingReader.TryParseInterval);
        options.ThreadPoolMaxPerWorker = Read(configuration, nameof(ThreadPoolMaxPerWorker), options.ThreadPoolMaxPerWorker, SettingReader.TryParseInt);
        options.ThreadPoolMaxFloor = Read(configuration, nameof(ThreadPoolMaxFloor), options.ThreadPoolMaxFloor, SettingReader.TryParseInt);
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when a value is out of range.</summary>
    public void Validate()
    {
        Require(Cpus is null || (Cpus > 0 && double.IsFinite(Cpus.Value)), nameof(Cpus), "must be a positive number of CPUs");
        Require(Enum.IsDefined(WeightPolicy), nameof(WeightPolicy), "must be Cpuset or Request");
        Require(Enum.IsDefined(WeightConversion), nameof(WeightConversion), "must be Linear or Quadratic");
        Require(PollInterval > TimeSpan.Zero, nameof(PollInterval), "must be positive");
        Require(ThreadPoolMaxPerWorker >= 1, nameof(ThreadPoolMaxPerWorker), "must be at least 1");
        Require(ThreadPoolMaxFloor >= 1, nameof(ThreadPoolMaxFloor), "must be at least 1");
    }

    private static T Read<T>(IConfiguration configuration, string key, T defaultValue, SettingReader.TryParse<T> parse) =>
        SettingReader.Read(configuration, SectionName, key, defaultValue, parse);

    private static bool TryParseCpus(string text, out double? value)
    {
        var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus);
        value = ok ? cpus : null;
        return ok;
    }

    private static bool TryParseEnum<T>(string text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value);

    private static void Require(bool condition, string key, string message) =>
        SettingReader.Require(condition, SectionName, key, message);
}
