using Akka.Configuration;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Hooks;

/// <summary>The effective settings by gunicorn's names, as <see cref="Gateway.IServerInfo.Settings"/> documents them.</summary>
internal static class SettingsSnapshot
{
    /// <summary>Every setting with a HOCON key, read from <paramref name="config"/>; addresses as their text.</summary>
    public static IReadOnlyDictionary<string, object?> From(Config config) =>
        SettingsTable.All
            .Where(setting => setting.HoconKey is not null)
            .ToDictionary(setting => setting.Name, setting => Plain(setting.ReadValue(config)), StringComparer.Ordinal);

    // Hooks reference only the gateway contract, so the server's own types become text.
    private static object? Plain(object? value) =>
        value is IReadOnlyList<BindAddress> addresses ? addresses.Select(address => address.ToString()).ToList() : value;
}
