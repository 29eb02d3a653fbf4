namespace ActorGunicorn.Gateway;

/// <summary>The arbiter as a server hook sees it (gunicorn's <c>server</c>/<c>arbiter</c> argument).</summary>
public interface IServerInfo
{
    /// <summary>The arbiter's process id.</summary>
    int Pid { get; }

    /// <summary>
    /// How many workers the arbiter aims for. In the arbiter it follows SIGTTIN and SIGTTOU; a worker sees the
    /// configured number.
    /// </summary>
    int NumWorkers { get; }

    /// <summary>The server's error log.</summary>
    IServerLog Log { get; }

    /// <summary>
    /// The effective settings by gunicorn's names (<c>workers</c>, <c>bind</c>, <c>timeout</c>…): numbers as
    /// <see cref="int"/> or <see cref="long"/>, durations as <see cref="TimeSpan"/>, flags as <see cref="bool"/>,
    /// lists as <see cref="IReadOnlyList{T}"/> of strings, maps as <see cref="IReadOnlyDictionary{TKey, TValue}"/>
    /// of strings, and null for unset optional settings.
    /// </summary>
    IReadOnlyDictionary<string, object?> Settings { get; }
}
