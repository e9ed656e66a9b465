namespace GrainMQ.Runtime.Tests.Cgroups;

/// <summary>
/// A fixture tree (proc/self/cgroup, proc/self/mountinfo, sys/...) copied to the output directory, or a writable copy
/// of one in a temporary directory for tests that change files between reads.
/// </summary>
internal sealed class CgroupFixture : IDisposable
{
    private CgroupFixture(string root, bool owned)
    {
        Root = root;
        Owned = owned;
    }

    public string Root { get; }

    private bool Owned { get; }

    /// <summary>The read-only fixture tree of that name.</summary>
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Cgroups", "Fixtures", name);

    /// <summary>A writable copy of the named fixture, deleted on dispose.</summary>
    public static CgroupFixture CopyOf(string name)
    {
        var root = Path.Combine(Path.GetTempPath(), "grainmq-cgroup-" + Guid.NewGuid().ToString("N"));
        var source = PathOf(name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return new CgroupFixture(root, owned: true);
    }

    /// <summary>
    /// Replaces a file of the tree as the kernel would show a new value: atomically (written aside, then renamed over
    /// it), so a poll running at the same moment never reads a half-written file.
    /// </summary>
    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = path + ".new";
        File.WriteAllText(staging, text + "\n");
        File.Move(staging, path, overwrite: true);
    }

    public void Dispose()
    {
        if (Owned)
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
