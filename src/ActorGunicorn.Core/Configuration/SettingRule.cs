namespace ActorGunicorn.Configuration;

/// <summary>
/// A validation rule for a setting's value, applied to every layer (reference, file, environment, command line) as
/// gunicorn's validators are. <see cref="Description"/> goes into the documentation.
/// </summary>
/// <typeparam name="T">The setting's value type.</typeparam>
/// <param name="Description">The rule in words, for the docs: for example <c>at least 1</c>.</param>
/// <param name="Check">Returns null when the value is acceptable, else a phrase naming the value and the problem, such as <c>'0' must be at least 1</c>.</param>
public sealed record SettingRule<T>(string Description, Func<T, string?> Check);
