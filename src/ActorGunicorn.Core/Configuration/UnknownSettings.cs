using System.Collections.Frozen;
using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Keys of the <c>actorgunicorn</c> block that name no setting. HOCON reads them without complaint, so a typo
/// (<c>max-requestz = 10</c>) would leave the default in force in silence; the command line refuses an unknown flag,
/// and a file or a fleet overlay refuses an unknown key the same way.
/// </summary>
internal static class UnknownSettings
{
    private static readonly Lazy<FrozenSet<string>> KnownKeys = new(() =>
        SettingsTable.All.Select(s => s.HoconKey).OfType<string>().ToFrozenSet(StringComparer.Ordinal));

    /// <summary>Throws for the first key of the <c>actorgunicorn</c> block of <paramref name="config"/> that is no setting.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="source">What to call the configuration in the message; null when the key's path says enough.</param>
    /// <exception cref="SettingsException">A key is unknown; the message names it and the nearest setting.</exception>
    public static void Check(Config config, string? source = null)
    {
        var block = config.HasPath(SettingsTable.HoconRoot) ? config.GetValue(SettingsTable.HoconRoot) : null;
        if (block is null || !block.IsObject())
        {
            return;
        }

        foreach (var key in block.GetObject().Items.Keys)
        {
            if (!KnownKeys.Value.Contains(key))
            {
                throw new SettingsException(source is null ? Describe(key) : $"{source}: {Describe(key)}");
            }
        }
    }

    /// <summary>Whether <paramref name="key"/> (without the block's name) is a setting's HOCON key.</summary>
    public static bool IsSetting(string key) => KnownKeys.Value.Contains(key);

    /// <summary>The one line that refuses <paramref name="key"/>, with the nearest setting when one is close.</summary>
    public static string Describe(string key)
    {
        var path = $"{SettingsTable.HoconRoot}.{key}";
        return Nearest(key) is { } nearest
            ? $"{path} is not a setting; did you mean {SettingsTable.HoconRoot}.{nearest}?"
            : $"{path} is not a setting (docs/settings.md lists them)";
    }

    // gunicorn's spelling (max_requests) is the commonest near miss, then a typo of one or two letters.
    private static string? Nearest(string key)
    {
        var hyphenated = key.Replace('_', '-').ToLowerInvariant();
        if (KnownKeys.Value.Contains(hyphenated))
        {
            return hyphenated;
        }

        var (best, distance) = KnownKeys.Value
            .Select(known => (Key: known, Distance: EditDistance(hyphenated, known)))
            .OrderBy(candidate => candidate.Distance)
            .ThenBy(candidate => candidate.Key, StringComparer.Ordinal)
            .First();
        return distance <= Math.Max(1, key.Length / 4) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
