namespace MemoryPressure.Reactive.UserModeLinux;

/// <summary>A scenario's cgroups checked and completed: every ancestor present, parents before children, the program's cgroup a leaf.</summary>
internal sealed class CgroupTree
{
    private CgroupTree(IReadOnlyList<GuestCgroup> cgroups, IReadOnlySet<string> parents)
    {
        Cgroups = cgroups;
        Parents = parents;
    }

    /// <summary>Gets the cgroups in order of depth, ancestors included.</summary>
    public IReadOnlyList<GuestCgroup> Cgroups { get; }

    /// <summary>Gets the paths of the cgroups that have children: each enables the memory controller for them.</summary>
    public IReadOnlySet<string> Parents { get; }

    /// <summary>Checks and completes a scenario's tree.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="ArgumentException">A path is not relative and plain, a cgroup is listed twice, or the program's cgroup has children.</exception>
    public static CgroupTree From(GuestScenario scenario)
    {
        var byPath = new Dictionary<string, GuestCgroup>(StringComparer.Ordinal);
        foreach (var cgroup in scenario.Cgroups)
        {
            ArgumentNullException.ThrowIfNull(cgroup, nameof(scenario));
            Check(cgroup.Path);
            if (!byPath.TryAdd(cgroup.Path, cgroup))
            {
                throw new ArgumentException($"The cgroup {cgroup.Path} is listed twice.", nameof(scenario));
            }
        }

        Check(scenario.ProgramCgroup);
        byPath.TryAdd(scenario.ProgramCgroup, new GuestCgroup(scenario.ProgramCgroup));
        foreach (var path in byPath.Keys.ToList())
        {
            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                byPath.TryAdd(path[..slash], new GuestCgroup(path[..slash]));
            }
        }

        var parents = byPath.Keys.Where(path => path.Contains('/', StringComparison.Ordinal)).Select(path => path[..path.LastIndexOf('/')]).ToHashSet(StringComparer.Ordinal);
        if (parents.Contains(scenario.ProgramCgroup))
        {
            throw new ArgumentException(
                $"The program's cgroup {scenario.ProgramCgroup} has children: processes may only sit in leaves once a parent enables controllers for its children.",
                nameof(scenario));
        }

        var ordered = byPath.Values.OrderBy(cgroup => cgroup.Path.Count(c => c == '/')).ThenBy(cgroup => cgroup.Path, StringComparer.Ordinal).ToList();
        return new CgroupTree(ordered, parents);
    }

    private static void Check(string path)
    {
        var plain = !string.IsNullOrEmpty(path)
            && path.Split('/').All(name => name.Length > 0 && name is not "." and not ".." && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'));
        if (!plain)
        {
            throw new ArgumentException($"The cgroup path '{path}' is not relative names of letters, digits, '.', '-' and '_' separated by '/'.", nameof(path));
        }
    }
}
