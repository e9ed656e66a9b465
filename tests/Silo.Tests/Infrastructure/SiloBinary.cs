using System.Reflection;
using System.Runtime.Versioning;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// Finds the built Silo (<c>Silo/bin/{Configuration}/{tfm}/GrainMQ.Silo.dll</c>) for the configuration and target
/// framework this test assembly was built with, by walking up from the test assembly's folder to the repository
/// root. The test project's <c>ProjectReference</c> (with <c>ReferenceOutputAssembly=false</c>) makes sure it is built.
/// </summary>
public static class SiloBinary
{
    /// <summary>The Silo's assembly file name.</summary>
    public const string FileName = "GrainMQ.Silo.dll";

    /// <summary>The full path of the built Silo; throws <see cref="FileNotFoundException"/> naming what was searched.</summary>
    public static string Locate()
    {
        var assembly = typeof(SiloBinary).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var frameworkName = assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName
            ?? throw new InvalidOperationException("The test assembly carries no TargetFrameworkAttribute.");
        var version = new FrameworkName(frameworkName).Version;
        var relative = Path.Combine("Silo", "bin", configuration, $"net{version.Major}.{version.Minor}", FileName);

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"No {relative} in any folder above {AppContext.BaseDirectory}. Building the tests builds the Silo; " +
            $"otherwise run `dotnet build Silo -c {configuration}` from the repository root.",
            FileName);
    }
}
