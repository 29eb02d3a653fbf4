using System.Globalization;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Configuration;

/// <summary>The validation rules the settings table uses.</summary>
public static class SettingRules
{
    /// <summary>Non-negative whole numbers: gunicorn's <c>validate_pos_int</c>, which accepts 0.</summary>
    public static SettingRule<int> NotNegative { get; } = new("not negative", value =>
        value >= 0 ? null : $"'{value.ToString(CultureInfo.InvariantCulture)}' must not be negative");

    /// <summary>Non-negative sizes.</summary>
    public static SettingRule<long> NotNegativeSize { get; } = new("not negative", value =>
        value >= 0 ? null : $"'{value.ToString(CultureInfo.InvariantCulture)}' must not be negative");

    /// <summary>Each entry has the form <c>KEY=VALUE</c> with a non-empty key.</summary>
    public static SettingRule<IReadOnlyList<string>> KeyValuePairs { get; } = new("each KEY=VALUE", values =>
        values.FirstOrDefault(value => value.IndexOf('=', StringComparison.Ordinal) <= 0) is { } bad
            ? $"'{bad}' is not KEY=VALUE"
            : null);

    /// <summary>Each entry has the form <c>HOST:PORT</c> with a port from 1 to 65535.</summary>
    public static SettingRule<IReadOnlyList<string>> HostPorts { get; } = new("each HOST:PORT", values =>
        values.FirstOrDefault(value => !ClusterEndpoint.TryParse(value, out _)) is { } bad
            ? $"'{bad}' is not HOST:PORT with a port from 1 to 65535"
            : null);

    /// <summary>A TCP port, 0 (any free port) to 65535.</summary>
    public static SettingRule<int> Port { get; } = new("0 to 65535", value =>
        value is >= 0 and <= 65535 ? null : $"'{value.ToString(CultureInfo.InvariantCulture)}' is not a port (0 to 65535)");

    /// <summary>A comma-separated list of IP addresses, networks (<c>10.0.0.0/8</c>) or <c>*</c>.</summary>
    public static SettingRule<string> IpAddresses { get; } = new("IP addresses or networks, comma-separated, or *", value =>
    {
        try
        {
            ActorGunicorn.Http.IpAllowList.Parse(value);
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    });

    /// <summary>Whole numbers from a fixed set.</summary>
    /// <param name="allowed">The accepted values.</param>
    public static SettingRule<int> OneOf(params int[] allowed) => new($"one of {string.Join(", ", allowed)}", value =>
        allowed.Contains(value) ? null : $"'{value.ToString(CultureInfo.InvariantCulture)}' must be one of {string.Join(", ", allowed)}");

    /// <summary>Lists with at least one element.</summary>
    /// <typeparam name="T">The type of an element.</typeparam>
    public static SettingRule<IReadOnlyList<T>> NotEmpty<T>() => new("at least one", values =>
        values.Count > 0 ? null : "'[]' must have at least one element");

    /// <summary>Whole numbers no smaller than <paramref name="minimum"/>.</summary>
    /// <param name="minimum">The smallest accepted value.</param>
    public static SettingRule<int> AtLeast(int minimum) => new($"at least {minimum.ToString(CultureInfo.InvariantCulture)}", value =>
        value >= minimum ? null : $"'{value.ToString(CultureInfo.InvariantCulture)}' must be at least {minimum.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Durations no shorter than <paramref name="minimum"/>.</summary>
    /// <param name="minimum">The shortest accepted duration.</param>
    public static SettingRule<TimeSpan> AtLeast(TimeSpan minimum) => new($"at least {Durations.FormatSeconds(minimum)} s", value =>
        value >= minimum ? null : $"'{Durations.FormatSeconds(value)}' must be at least {Durations.FormatSeconds(minimum)} s");

    /// <summary>
    /// Unix permission bits, 0 to 0o777. gunicorn's <c>auto_int</c> reads <c>600</c> as decimal, which is no mode
    /// anyone means; the message shows the value in octal and how to write one.
    /// </summary>
    public static SettingRule<int> FileMode { get; } = new("permission bits, 0 to 0o777", value =>
        value switch
        {
            >= 0 and <= 511 => null,
            > 511 => $"'{value.ToString(CultureInfo.InvariantCulture)}' (0o{Convert.ToString(value, 8)}) is not a file mode: write it in octal, as 0600 or 0o600",
            _ => $"'{value.ToString(CultureInfo.InvariantCulture)}' is not a file mode: write it in octal, as 0600 or 0o600",
        });

    /// <summary>A user name the system knows, or a numeric user id; null means none (gunicorn's <c>validate_user</c>).</summary>
    public static SettingRule<string?> KnownUser { get; } = new("a user name or numeric id", value =>
        value is null || IsNumericId(value) || Libc.UserByName(value) is not null ? null : $"No such user: '{value}'");

    /// <summary>A group name the system knows, or a numeric group id; null means none (gunicorn's <c>validate_group</c>).</summary>
    public static SettingRule<string?> KnownGroup { get; } = new("a group name or numeric id", value =>
        value is null || IsNumericId(value) || Libc.GroupByName(value) is not null ? null : $"No such group: '{value}'");

    /// <summary>Whether <paramref name="value"/> is a user or group id written as digits.</summary>
    internal static bool IsNumericId(string value) =>
        value.Length > 0 && value.All(char.IsAsciiDigit) && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
