using System.Globalization;
using ActorGunicorn.Configuration;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Runtime;

/// <summary>
/// The user and group workers run as (<c>--user</c>, <c>--group</c>, <c>--initgroups</c>), resolved to ids. A worker
/// applies it at boot, before any application code runs: group list, group, then user, since after the user switch the
/// others are no longer permitted (gunicorn's <c>set_owner_process</c>).
/// </summary>
/// <param name="Uid">The user id to switch to, or null to keep the current one.</param>
/// <param name="Gid">The group id to switch to, or null to keep the current one.</param>
/// <param name="UserName">The user's name, when the system knows it (initgroups needs it).</param>
/// <param name="Initgroups">Whether to give the worker every group the user belongs to.</param>
internal sealed record WorkerIdentity(uint? Uid, uint? Gid, string? UserName, bool Initgroups)
{
    /// <summary>Whether a worker changes identity at all.</summary>
    public bool Switches => Uid is not null || Gid is not null;

    /// <summary>
    /// Resolves the settings. Without --group the workers take the --user's primary group, so a worker never keeps
    /// the arbiter's (root) group under another user. The settings' rules have already refused unknown names.
    /// </summary>
    public static WorkerIdentity From(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Libc.Account? user = settings.User switch
        {
            null => null,
            var id when SettingRules.IsNumericId(id) => Libc.UserById(ParseId(id)) ?? new Libc.Account(string.Empty, ParseId(id), uint.MaxValue),
            var name => Libc.UserByName(name),
        };
        uint? gid = settings.Group switch
        {
            null => user is { Gid: not uint.MaxValue } known ? known.Gid : null,
            var id when SettingRules.IsNumericId(id) => ParseId(id),
            var name => Libc.GroupByName(name),
        };
        return new WorkerIdentity(user?.Uid, gid, user is { Name.Length: > 0 } named ? named.Name : null, settings.Initgroups);
    }

    /// <summary>Switches this process (every thread of it) to the identity.</summary>
    /// <exception cref="IOException">A switch was refused (typically: the arbiter does not run as root).</exception>
    public unsafe void Apply()
    {
        if (Gid is uint gid)
        {
            if (Initgroups && UserName is not null)
            {
                Check(Libc.InitGroups(UserName, gid), $"initgroups({UserName}, {gid})");
            }
            else if (Libc.GetUid() == 0)
            {
                // Drop the arbiter's supplementary groups (root's), keeping only the worker's group.
                Check(Libc.SetGroups(1, &gid), $"setgroups([{gid}])");
            }

            if (Libc.GetGid() != gid)
            {
                Check(Libc.SetGid(gid), $"setgid({gid})");
            }
        }

        if (Uid is uint uid && Libc.GetUid() != uid)
        {
            Check(Libc.SetUid(uid), $"setuid({uid})");
        }
    }

    private static uint ParseId(string id) => uint.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new IOException($"{call} failed: {Libc.LastError()}");
        }
    }
}
