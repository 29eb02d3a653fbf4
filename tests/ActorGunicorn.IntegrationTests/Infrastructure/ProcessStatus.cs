using System.Globalization;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>A process's identity and family, read from /proc/PID/status and /proc/PID/stat.</summary>
internal static class ProcessStatus
{
    /// <summary>The real user id (the first field of <c>Uid:</c>).</summary>
    public static int Uid(int pid) => FirstNumber(pid, "Uid:");

    /// <summary>The real group id (the first field of <c>Gid:</c>).</summary>
    public static int Gid(int pid) => FirstNumber(pid, "Gid:");

    /// <summary>The parent's pid.</summary>
    public static int Parent(int pid) => FirstNumber(pid, "PPid:");

    /// <summary>The supplementary groups (<c>Groups:</c>).</summary>
    public static IReadOnlyList<int> Groups(int pid) =>
        [.. Field(pid, "Groups:").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(g => int.Parse(g, CultureInfo.InvariantCulture))];

    /// <summary>The session id: the sixth field of /proc/PID/stat.</summary>
    public static int Session(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[3], CultureInfo.InvariantCulture);
    }

    /// <summary>Where one of the process's descriptors points (for example <c>/dev/null</c>).</summary>
    public static string? Descriptor(int pid, int fd) => new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget;

    /// <summary>The live processes whose parent is <paramref name="pid"/>.</summary>
    public static IReadOnlyList<int> Children(int pid) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name is not null && name.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(child => ProcessInfo.IsAlive(child) && TryParent(child) == pid)];

    private static int? TryParent(int pid)
    {
        try
        {
            return Parent(pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    private static int FirstNumber(int pid, string field) =>
        int.Parse(Field(pid, field).Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);

    private static string Field(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith(field, StringComparison.Ordinal))?[field.Length..].Trim()
        ?? throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
}
