namespace ActorGunicorn.Configuration;

/// <summary>
/// A default taken from an environment variable when it is set and not empty, as gunicorn takes <c>bind</c> from
/// <c>PORT</c> and <c>workers</c> from <c>WEB_CONCURRENCY</c>. It sits just above the reference defaults, so a
/// file or flag still overrides it, yet a bad value is an error even then (gunicorn fails on it at start-up too).
/// </summary>
/// <param name="Variable">The environment variable, for example <c>WEB_CONCURRENCY</c>.</param>
/// <param name="ToArgument">Turns the variable's value into an argument as the setting's flag would take it.</param>
/// <param name="Explanation">How the default follows from the variable, for the docs: for example <c>$WEB_CONCURRENCY</c>.</param>
public sealed record EnvironmentDefault(string Variable, Func<string, string> ToArgument, string Explanation);
