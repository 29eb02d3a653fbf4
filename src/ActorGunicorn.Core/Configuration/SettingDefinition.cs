using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// One row of the settings table: everything the command-line parser, the HOCON reader, <c>reference.conf</c> and
/// <c>docs/settings.md</c> need to know about a setting. Rows are declared in <see cref="SettingsTable"/>.
/// </summary>
public abstract class SettingDefinition
{
    private protected SettingDefinition(SettingKind kind) => Kind = kind;

    /// <summary>gunicorn's name for the setting, for example <c>limit_request_field_size</c>.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The key inside the <c>actorgunicorn { }</c> block: gunicorn's name in kebab-case, for example
    /// <c>limit-request-field-size</c>. Null for command-line-only actions such as <c>--version</c>.
    /// </summary>
    public string? HoconKey { get; init; }

    /// <summary>The full HOCON path (<c>actorgunicorn.workers</c>), or null when the setting has no key.</summary>
    public string? HoconPath => HoconKey is null ? null : SettingsTable.HoconRoot + "." + HoconKey;

    /// <summary>The command-line flags in gunicorn's spelling, short first (<c>-w</c>, <c>--workers</c>); empty when there are none.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Whether the setting is also given as a positional argument (the application); <see cref="Metavar"/> names it.</summary>
    public bool IsPositional { get; init; }

    /// <summary>The gunicorn section the setting belongs to; one of <see cref="SettingSections"/>.</summary>
    public required string Section { get; init; }

    /// <summary>The placeholder for the flag's argument in help (<c>INT</c>, <c>FILE</c>); null for flags without one.</summary>
    public string? Metavar { get; init; }

    /// <summary>A one-line summary for <c>--help</c>.</summary>
    public required string Summary { get; init; }

    /// <summary>A paragraph for <c>reference.conf</c> and <c>docs/settings.md</c>: what the setting does and when to change it.</summary>
    public required string Description { get; init; }

    /// <summary>A default that depends on the environment, or null.</summary>
    public EnvironmentDefault? EnvironmentDefault { get; init; }

    /// <summary>A remark shown after the default in the docs, for defaults that the table's value cannot express.</summary>
    public string? DefaultNote { get; init; }

    /// <summary>
    /// Whether parsing stops as soon as the flag is seen, as argparse's help and version actions exit on the spot:
    /// later arguments are not examined.
    /// </summary>
    public bool EndsParsing { get; init; }

    /// <summary>The kind of value the setting holds.</summary>
    public SettingKind Kind { get; }

    /// <summary>
    /// For a gunicorn setting this server accepts but does not carry out as gunicorn does: what differs and why, in a
    /// sentence. A configuration that gives it a value that differs (see <see cref="SettingDefinition{T}.DiffersFor"/>)
    /// gets one WARNING line with it at start and at every reload, so a gunicorn command line never stops at an unknown flag and never
    /// changes behaviour in silence. Null when the setting means what gunicorn's means.
    /// </summary>
    public string? Differs { get; init; }

    /// <summary>Whether gunicorn has no such setting: it is this server's own (docs and help say so).</summary>
    public bool BeyondGunicorn { get; init; }

    /// <summary>
    /// How error messages name the setting: the flags as argparse joins them and the HOCON path, for example
    /// <c>-w/--workers / actorgunicorn.workers</c>.
    /// </summary>
    public string Label => string.Join(" / ", new[] { CommandLineLabel, HoconPath }.Where(part => part is not null));

    /// <summary>The flags joined as argparse names an argument (<c>-w/--workers</c>), or the positional's metavar.</summary>
    internal string? CommandLineLabel => Flags.Count > 0 ? string.Join('/', Flags) : IsPositional ? Metavar : null;

    /// <summary>A description of the validation rule, or null when the kind alone constrains the value.</summary>
    internal abstract string? RuleDescription { get; }

    /// <summary>The default as a canonical HOCON literal.</summary>
    internal abstract string RenderDefault();

    /// <summary>The default as <c>--help</c> shows it.</summary>
    internal abstract string DisplayDefault();

    /// <summary>Reads and validates the setting from <paramref name="config"/>, returning the canonical HOCON literal.</summary>
    internal abstract string RenderFrom(Config config);

    /// <summary>Reads and validates the setting from <paramref name="config"/>, throwing <see cref="SettingsException"/> if it is invalid.</summary>
    internal abstract void Check(Config config);

    /// <summary>Reads and validates the setting from <paramref name="config"/>, boxed (for server hooks' view of the settings).</summary>
    internal abstract object? ReadValue(Config config);

    /// <summary>The value in <paramref name="config"/> as <c>--help</c> shows values.</summary>
    internal abstract string DisplayFrom(Config config);

    /// <summary>Whether <paramref name="config"/> gives the setting a value for which <see cref="Differs"/> holds.</summary>
    internal abstract bool DiffersIn(Config config);
}

/// <summary>A settings-table row whose values are of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The .NET type the setting is read as.</typeparam>
public sealed class SettingDefinition<T> : SettingDefinition
{
    /// <summary>Creates a row of the given kind; the other columns are set with an object initializer.</summary>
    /// <param name="kind">The kind of value, one of <see cref="SettingKinds"/>.</param>
    public SettingDefinition(SettingKind<T> kind)
        : base(kind) => Kind = kind;

    /// <summary>The kind of value the setting holds.</summary>
    public new SettingKind<T> Kind { get; }

    /// <summary>The default, written to <c>reference.conf</c> and used when a configuration lacks the key.</summary>
    public required T Default { get; init; }

    /// <summary>The validation rule beyond the kind's own, or null.</summary>
    public SettingRule<T>? Rule { get; init; }

    /// <summary>
    /// With <see cref="SettingDefinition.Differs"/>: the values for which it holds. Null means every value but the
    /// default (a setting whose default is gunicorn's own and therefore behaves alike).
    /// </summary>
    public Func<T, bool>? DiffersFor { get; init; }

    internal override string? RuleDescription => Rule?.Description;

    /// <summary>
    /// Reads the setting from <paramref name="config"/>: the value at <see cref="SettingDefinition.HoconPath"/>, or
    /// <see cref="Default"/> when the key is absent.
    /// </summary>
    /// <param name="config">A configuration holding an <c>actorgunicorn</c> block, usually merged over <c>reference.conf</c>.</param>
    /// <returns>The validated value.</returns>
    /// <exception cref="SettingsException">The value has the wrong type or breaks <see cref="Rule"/>.</exception>
    /// <exception cref="InvalidOperationException">The setting is command-line only and has no HOCON key.</exception>
    public T Read(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = HoconPath ?? throw new InvalidOperationException($"The setting {Name} is command-line only and has no HOCON key.");
        if (!config.HasPath(path))
        {
            return Default;
        }

        if (!Kind.TryRead(config.GetValue(path), out var value, out var problem))
        {
            throw new SettingsException(this, problem);
        }

        var broken = Rule?.Check(value);
        return broken is null ? value : throw new SettingsException(this, broken);
    }

    internal override string RenderDefault() => Kind.Render(Default);

    internal override string DisplayDefault() => Kind.Display(Default);

    internal override string RenderFrom(Config config) => Kind.Render(Read(config));

    internal override void Check(Config config) => Read(config);

    internal override object? ReadValue(Config config) => Read(config);

    internal override string DisplayFrom(Config config) => Kind.Display(Read(config));

    internal override bool DiffersIn(Config config)
    {
        if (Differs is null || HoconPath is null)
        {
            return false;
        }

        var value = Read(config);
        return DiffersFor?.Invoke(value) ?? Kind.Render(value) != RenderDefault();
    }
}
