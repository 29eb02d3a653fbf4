using System.Text;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace ActorGunicorn.Cluster.Serialization;

/// <summary>
/// The wire form of every <see cref="IFleetMessage"/>: a short string manifest names the type, and the body is the
/// message's fields in declaration order (little-endian integers, length-prefixed UTF-8 strings, counted lists).
/// Hand-written rather than Akka's default JSON, so the format is fixed, compact and free of type names.
/// </summary>
public sealed class FleetMessageSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's identifier (Akka reserves 0 to 100).</summary>
    public const int Id = 7301;

    private const string GetFleetStatusManifest = "fs?";
    private const string RollingReloadManifest = "rr";
    private const string ScaleManifest = "sc";
    private const string DistributeConfigManifest = "dc";
    private const string HostReportManifest = "hr";
    private const string FleetStatusManifest = "fs";
    private const string HostEntryManifest = "he";
    private const string WorkerEntryManifest = "we";
    private const string CommandSucceededManifest = "ok";
    private const string CommandFailedManifest = "no";
    private const string ReloadHostManifest = "rh";
    private const string HostReloadedManifest = "rd";
    private const string ScaleHostManifest = "sh";
    private const string ApplyConfigManifest = "ac";
    private const string GetRolloutManifest = "gr";
    private const string RolloutProgressManifest = "rp";
    private const string RolloutRecordManifest = "ro";

    /// <summary>Creates the serializer; Akka calls this with its actor system.</summary>
    /// <param name="system">The actor system.</param>
    public FleetMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <inheritdoc/>
    public override int Identifier => Id;

    /// <inheritdoc/>
    public override string Manifest(object o) => o switch
    {
        FleetCoordinator.GetFleetStatus => GetFleetStatusManifest,
        FleetCoordinator.RollingReload => RollingReloadManifest,
        FleetCoordinator.Scale => ScaleManifest,
        FleetCoordinator.DistributeConfig => DistributeConfigManifest,
        FleetCoordinator.HostReport => HostReportManifest,
        FleetCoordinator.FleetStatus => FleetStatusManifest,
        FleetCoordinator.HostEntry => HostEntryManifest,
        FleetCoordinator.WorkerEntry => WorkerEntryManifest,
        FleetCoordinator.CommandSucceeded => CommandSucceededManifest,
        FleetCoordinator.CommandFailed => CommandFailedManifest,
        HostAgent.ReloadHost => ReloadHostManifest,
        HostAgent.HostReloaded => HostReloadedManifest,
        HostAgent.ScaleHost => ScaleHostManifest,
        HostAgent.ApplyConfig => ApplyConfigManifest,
        FleetCoordinator.GetRollout => GetRolloutManifest,
        FleetCoordinator.RolloutProgress => RolloutProgressManifest,
        FleetCoordinator.RolloutRecord => RolloutRecordManifest,
        _ => throw new ArgumentException($"{o?.GetType().FullName ?? "null"} is not a fleet message", nameof(o)),
    };

    /// <inheritdoc/>
    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            Write(writer, obj);
        }

        return stream.ToArray();
    }

    /// <inheritdoc/>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        try
        {
            return Read(reader, manifest);
        }
        catch (EndOfStreamException error)
        {
            throw new SerializationException($"a truncated fleet message ({manifest}, {bytes.Length} bytes)", error);
        }
    }

    private static void Write(BinaryWriter writer, object message)
    {
        switch (message)
        {
            case FleetCoordinator.GetFleetStatus:
                break;
            case FleetCoordinator.RollingReload reload:
                writer.Write(reload.RolloutId);
                break;
            case FleetCoordinator.GetRollout query:
                writer.Write(query.RolloutId);
                break;
            case FleetCoordinator.RolloutProgress progress:
                writer.Write(progress.RolloutId);
                writer.Write((byte)progress.State);
                writer.Write(progress.Summary);
                break;
            case FleetCoordinator.RolloutRecord record:
                WriteRollout(writer, record);
                break;
            case FleetCoordinator.Scale scale:
                writer.Write((byte)scale.Mode);
                writer.Write(scale.Count);
                break;
            case FleetCoordinator.DistributeConfig config:
                writer.Write(config.Hocon);
                WriteStrings(writer, config.Unset);
                writer.Write(config.RolloutId);
                break;
            case FleetCoordinator.HostReport report:
                writer.Write(report.Address);
                WriteStrings(writer, report.Roles);
                writer.Write(report.ArbiterPid);
                writer.Write(report.ConfigVersion);
                writer.Write(report.ServingConfigVersion);
                writer.Write(report.ConfigText);
                writer.Write(report.DesiredWorkers);
                WriteWorkers(writer, report.Workers);
                writer.Write(report.Rollout is not null);
                if (report.Rollout is not null)
                {
                    WriteRollout(writer, report.Rollout);
                }

                break;
            case FleetCoordinator.FleetStatus status:
                writer.Write(status.ConfigVersion);
                WriteOptional(writer, status.Activity);
                writer.Write(status.Hosts.Count);
                foreach (var host in status.Hosts)
                {
                    WriteHost(writer, host);
                }

                WriteStrings(writer, status.AwaitedSeeds);

                break;
            case FleetCoordinator.HostEntry host:
                WriteHost(writer, host);
                break;
            case FleetCoordinator.WorkerEntry worker:
                WriteWorker(writer, worker);
                break;
            case FleetCoordinator.CommandSucceeded succeeded:
                writer.Write(succeeded.Summary);
                break;
            case FleetCoordinator.CommandFailed failed:
                writer.Write(failed.Reason);
                break;
            case HostAgent.ReloadHost reload:
                writer.Write(reload.RequestId);
                break;
            case HostAgent.HostReloaded reloaded:
                writer.Write(reloaded.RequestId);
                writer.Write(reloaded.Address);
                break;
            case HostAgent.ScaleHost scale:
                writer.Write(scale.Workers);
                break;
            case HostAgent.ApplyConfig apply:
                writer.Write(apply.Version);
                writer.Write(apply.Hocon);
                break;
            default:
                throw new ArgumentException($"{message?.GetType().FullName ?? "null"} is not a fleet message", nameof(message));
        }
    }

    private static object Read(BinaryReader reader, string manifest) => manifest switch
    {
        GetFleetStatusManifest => FleetCoordinator.GetFleetStatus.Instance,
        RollingReloadManifest => new FleetCoordinator.RollingReload(reader.ReadInt64()),
        GetRolloutManifest => new FleetCoordinator.GetRollout(reader.ReadInt64()),
        RolloutProgressManifest => new FleetCoordinator.RolloutProgress(reader.ReadInt64(), ReadState(reader), reader.ReadString()),
        RolloutRecordManifest => ReadRollout(reader),
        ScaleManifest => new FleetCoordinator.Scale(ReadMode(reader), reader.ReadInt32()),
        DistributeConfigManifest => new FleetCoordinator.DistributeConfig(reader.ReadString(), ReadStrings(reader), reader.ReadInt64()),
        HostReportManifest => new FleetCoordinator.HostReport(reader.ReadString(), ReadStrings(reader), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadString(), reader.ReadInt32(), ReadWorkers(reader), reader.ReadBoolean() ? ReadRollout(reader) : null),
        FleetStatusManifest => new FleetCoordinator.FleetStatus(reader.ReadInt64(), ReadOptional(reader), ReadList(reader, ReadHost), ReadStrings(reader)),
        HostEntryManifest => ReadHost(reader),
        WorkerEntryManifest => ReadWorker(reader),
        CommandSucceededManifest => new FleetCoordinator.CommandSucceeded(reader.ReadString()),
        CommandFailedManifest => new FleetCoordinator.CommandFailed(reader.ReadString()),
        ReloadHostManifest => new HostAgent.ReloadHost(reader.ReadInt64()),
        HostReloadedManifest => new HostAgent.HostReloaded(reader.ReadInt64(), reader.ReadString()),
        ScaleHostManifest => new HostAgent.ScaleHost(reader.ReadInt32()),
        ApplyConfigManifest => new HostAgent.ApplyConfig(reader.ReadInt64(), reader.ReadString()),
        _ => throw new SerializationException($"unknown fleet message manifest '{manifest}'"),
    };

    private static ScaleMode ReadMode(BinaryReader reader)
    {
        var mode = (ScaleMode)reader.ReadByte();
        return Enum.IsDefined(mode) ? mode : throw new SerializationException($"unknown scale mode {(byte)mode}");
    }

    private static RolloutState ReadState(BinaryReader reader)
    {
        var state = (RolloutState)reader.ReadByte();
        return Enum.IsDefined(state) ? state : throw new SerializationException($"unknown rollout state {(byte)state}");
    }

    private static void WriteRollout(BinaryWriter writer, FleetCoordinator.RolloutRecord record)
    {
        writer.Write(record.RolloutId);
        writer.Write(record.Step);
        WriteStrings(writer, record.Pending);
        WriteOptional(writer, record.Current);
        WriteStrings(writer, record.Done);
        WriteStrings(writer, record.Skipped);
        WriteOptional(writer, record.SummaryPrefix);
        writer.Write((byte)record.State);
        WriteOptional(writer, record.Outcome);
    }

    private static FleetCoordinator.RolloutRecord ReadRollout(BinaryReader reader) => new(
        reader.ReadInt64(),
        reader.ReadInt32(),
        ReadStrings(reader),
        ReadOptional(reader),
        ReadStrings(reader),
        ReadStrings(reader),
        ReadOptional(reader),
        ReadState(reader),
        ReadOptional(reader));

    private static void WriteHost(BinaryWriter writer, FleetCoordinator.HostEntry host)
    {
        writer.Write(host.Address);
        WriteStrings(writer, host.Roles);
        writer.Write(host.MemberStatus);
        writer.Write(host.Healthy);
        writer.Write(host.ArbiterPid);
        writer.Write(host.ConfigVersion);
        writer.Write(host.ServingConfigVersion);
        writer.Write(host.DesiredWorkers);
        writer.Write(host.ReportAge is not null);
        if (host.ReportAge is { } age)
        {
            writer.Write(age.Ticks);
        }

        WriteWorkers(writer, host.Workers);
    }

    private static FleetCoordinator.HostEntry ReadHost(BinaryReader reader) =>
        new(reader.ReadString(), ReadStrings(reader), reader.ReadString(), reader.ReadBoolean(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadBoolean() ? TimeSpan.FromTicks(reader.ReadInt64()) : null, ReadWorkers(reader));

    private static void WriteWorkers(BinaryWriter writer, IReadOnlyList<FleetCoordinator.WorkerEntry> workers)
    {
        writer.Write(workers.Count);
        foreach (var worker in workers)
        {
            WriteWorker(writer, worker);
        }
    }

    private static List<FleetCoordinator.WorkerEntry> ReadWorkers(BinaryReader reader) => ReadList(reader, ReadWorker);

    private static void WriteWorker(BinaryWriter writer, FleetCoordinator.WorkerEntry worker)
    {
        writer.Write(worker.Pid);
        writer.Write(worker.Age);
        writer.Write(worker.State);
        writer.Write(worker.Uptime.Ticks);
        writer.Write(worker.RequestsServed);
        writer.Write(worker.RssBytes);
    }

    private static FleetCoordinator.WorkerEntry ReadWorker(BinaryReader reader) =>
        new(reader.ReadInt32(), reader.ReadInt32(), reader.ReadString(), TimeSpan.FromTicks(reader.ReadInt64()), reader.ReadInt64(), reader.ReadInt64());

    private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static List<string> ReadStrings(BinaryReader reader) => ReadList(reader, r => r.ReadString());

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    // A count read from the wire is checked against what is left, so a corrupt count cannot allocate without bound.
    private static List<T> ReadList<T>(BinaryReader reader, Func<BinaryReader, T> readItem)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new SerializationException($"a fleet message list claims {count} items");
        }

        var items = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(readItem(reader));
        }

        return items;
    }
}
