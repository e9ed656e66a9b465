namespace GrainMQ.Runtime.Cgroups;

/// <summary>One cgroup on the path from the process's own cgroup up to the root visible through the mount.</summary>
/// <param name="Path">The cgroup's name in its hierarchy (e.g. <c>/kubepods/pod1</c>).</param>
/// <param name="Directory">Its directory on the file system.</param>
internal sealed record CgroupLevel(string Path, string Directory);

/// <summary>The process's cgroup in one controller's hierarchy, and the path up from it.</summary>
/// <param name="Version">The hierarchy's version.</param>
/// <param name="LeafToRoot">The process's own cgroup first, then each ancestor up to the mount's root.</param>
internal sealed record CgroupLocation(CgroupVersion Version, IReadOnlyList<CgroupLevel> LeafToRoot)
{
    public CgroupLevel Leaf => LeafToRoot[0];

    public CgroupController ToController() => new(Version, Leaf.Path, Leaf.Directory);
}

/// <summary>
/// Finds the process's cgroups from the text of /proc/self/cgroup and /proc/self/mountinfo.
/// Mount points are resolved under the reader's root, so a fixture tree stands in for the real file system.
/// </summary>
internal sealed class CgroupHierarchies
{
    private readonly string _root;
    private readonly List<ProcCgroupEntry> _entries;
    private readonly List<CgroupMount> _mounts;

    private CgroupHierarchies(string root, List<ProcCgroupEntry> entries, List<CgroupMount> mounts)
    {
        _root = root;
        _entries = entries;
        _mounts = mounts;
    }

    public CgroupMode Mode
    {
        get
        {
            var v1 = false;
            var v2 = false;
            foreach (var entry in _entries)
            {
                var isV2 = entry.HierarchyId == 0;
                if (HasMount(isV2))
                {
                    v1 |= !isV2;
                    v2 |= isV2;
                }
            }

            return (v1, v2) switch
            {
                (true, true) => CgroupMode.Hybrid,
                (true, false) => CgroupMode.V1,
                (false, true) => CgroupMode.V2,
                _ => CgroupMode.None,
            };
        }
    }

    public static CgroupHierarchies Parse(string root, string? procSelfCgroup, string? mountInfo) =>
        new(root, ParseProcCgroup(procSelfCgroup), ParseMountInfo(mountInfo));

    /// <summary>
    /// The hierarchy that carries <paramref name="controller"/>: a v1 hierarchy that names it wins; otherwise the
    /// unified v2 hierarchy (whose files for that controller may or may not exist). Null when neither is mounted.
    /// </summary>
    public CgroupLocation? Find(string controller)
    {
        foreach (var entry in _entries)
        {
            if (entry.HierarchyId != 0 && entry.Controllers.Contains(controller))
            {
                var mount = BestMount(entry.Path, m => !m.IsV2 && m.SuperOptions.Contains(controller));
                if (mount is not null)
                {
                    return Locate(CgroupVersion.V1, mount, entry.Path);
                }
            }
        }

        foreach (var entry in _entries)
        {
            if (entry.HierarchyId == 0)
            {
                var mount = BestMount(entry.Path, m => m.IsV2);
                if (mount is not null)
                {
                    return Locate(CgroupVersion.V2, mount, entry.Path);
                }
            }
        }

        return null;
    }

    private bool HasMount(bool v2)
    {
        foreach (var mount in _mounts)
        {
            if (mount.IsV2 == v2)
            {
                return true;
            }
        }

        return false;
    }

    // The same hierarchy can be mounted more than once (bind mounts); prefer the mount whose root is the longest
    // prefix of the process's cgroup path, as that one shows the process's own cgroup.
    private CgroupMount? BestMount(string cgroupPath, Func<CgroupMount, bool> matches)
    {
        CgroupMount? best = null;
        var bestLength = -1;
        foreach (var mount in _mounts)
        {
            if (!matches(mount))
            {
                continue;
            }

            var length = IsUnder(cgroupPath, mount.Root) ? mount.Root.Length : -1;
            if (best is null || length > bestLength)
            {
                best = mount;
                bestLength = length;
            }
        }

        return best;
    }

    private CgroupLocation Locate(CgroupVersion version, CgroupMount mount, string cgroupPath)
    {
        var segments = RelativeSegments(mount.Root, cgroupPath);
        var mountDirectory = Path.Combine(_root, mount.MountPoint.TrimStart('/'));
        var levels = new List<CgroupLevel>(segments.Length + 1);
        for (var depth = segments.Length; depth >= 0; depth--)
        {
            var relative = string.Join('/', segments, 0, depth);
            var directory = depth == 0 ? mountDirectory : Path.Combine(mountDirectory, relative);
            levels.Add(new CgroupLevel(JoinCgroupPath(mount.Root, relative), directory));
        }

        return new CgroupLocation(version, levels);
    }

    /// <summary>
    /// The process's cgroup relative to the mount's root. With a cgroup namespace both are "/" (the container sees
    /// its own cgroup as the root). Without one, a container's mount root is its own cgroup (e.g. /docker/abc) and
    /// /proc/self/cgroup shows the same full path. When the path is not under the mount root, or climbs out of it
    /// ("/../x", a process moved outside its namespace), the mount's root is the nearest cgroup that can be seen.
    /// </summary>
    private static string[] RelativeSegments(string mountRoot, string cgroupPath)
    {
        if (!IsUnder(cgroupPath, mountRoot))
        {
            return [];
        }

        var relative = mountRoot == "/" ? cgroupPath : cgroupPath[mountRoot.Length..];
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (segment is ".." or ".")
            {
                return [];
            }
        }

        return segments;
    }

    private static bool IsUnder(string cgroupPath, string mountRoot) =>
        mountRoot == "/" || cgroupPath == mountRoot || cgroupPath.StartsWith(mountRoot + "/", StringComparison.Ordinal);

    private static string JoinCgroupPath(string mountRoot, string relative)
    {
        if (relative.Length == 0)
        {
            return mountRoot;
        }

        return mountRoot == "/" ? "/" + relative : mountRoot + "/" + relative;
    }

    // Lines of /proc/self/cgroup: "hierarchy-id:controller-list:path"; v2 is "0::path".
    private static List<ProcCgroupEntry> ParseProcCgroup(string? text)
    {
        var entries = new List<ProcCgroupEntry>();
        foreach (var line in Lines(text))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && int.TryParse(parts[0], out var id) && parts[2].StartsWith('/'))
            {
                entries.Add(new ProcCgroupEntry(id, parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries), parts[2]));
            }
        }

        return entries;
    }

    // Lines of /proc/self/mountinfo: "id parent major:minor root mount-point options [optional fields...] - fstype source super-options".
    private static List<CgroupMount> ParseMountInfo(string? text)
    {
        var mounts = new List<CgroupMount>();
        foreach (var line in Lines(text))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var separator = Array.IndexOf(fields, "-", 6);
            if (separator < 0 || fields.Length < separator + 4)
            {
                continue;
            }

            var fileSystem = fields[separator + 1];
            if (fileSystem is "cgroup" or "cgroup2")
            {
                mounts.Add(new CgroupMount(
                    Unescape(fields[3]),
                    Unescape(fields[4]),
                    fileSystem == "cgroup2",
                    fields[separator + 3].Split(',')));
            }
        }

        return mounts;
    }

    // mountinfo escapes space, tab, newline and backslash as three octal digits (\040, \011, \012, \134).
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field, i + 1))
            {
                builder.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(string field, int start)
    {
        for (var i = start; i < start + 3; i++)
        {
            if (field[i] is < '0' or > '7')
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Lines(string? text) =>
        text is null ? [] : text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed record ProcCgroupEntry(int HierarchyId, string[] Controllers, string Path);

    private sealed record CgroupMount(string Root, string MountPoint, bool IsV2, string[] SuperOptions);
}
