using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// The type of a setting's value: how the command line checks an argument, how HOCON is read and validated, and
/// how a value is written back as HOCON and shown in help. The instances live in <see cref="SettingKinds"/>.
/// </summary>
public abstract class SettingKind
{
    private protected SettingKind()
    {
    }

    /// <summary>The value type in words, as the documentation shows it (for example <c>integer</c>).</summary>
    public abstract string Description { get; }

    /// <summary>Whether a command-line flag of this kind consumes an argument; false for store-true flags.</summary>
    public virtual bool TakesArgument => true;

    /// <summary>Whether the flag may be repeated to build a list (argparse's <c>append</c> action).</summary>
    public virtual bool IsRepeatable => false;

    /// <summary>
    /// Checks one command-line argument the way argparse's <c>type=</c> would, returning argparse's complaint (for
    /// example <c>invalid int value: 'abc'</c>) or null. Range rules are not checked here: like gunicorn's
    /// validators they apply to every layer and report through <see cref="SettingsException"/>.
    /// </summary>
    internal virtual string? CheckArgument(string argument) => null;

    /// <summary>
    /// The HOCON value for the arguments a layer gave (in order). Scalars keep the last one, as argparse's
    /// <c>store</c> does. The text is quoted as given so that the one HOCON reader interprets every layer alike.
    /// </summary>
    internal virtual string ArgumentsToHocon(IReadOnlyList<string> arguments) => HoconText.Quote(arguments[^1]);
}

/// <summary>A setting kind whose values are of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The .NET type a value of this kind is read as.</typeparam>
public abstract class SettingKind<T> : SettingKind
{
    private protected SettingKind()
    {
    }

    /// <summary>
    /// Interprets a HOCON value. On failure <paramref name="problem"/> is a phrase naming the value and what is wrong
    /// with it, such as <c>'abc' is not an integer</c>.
    /// </summary>
    internal abstract bool TryRead(HoconValue value, [MaybeNullWhen(false)] out T result, [NotNullWhen(false)] out string? problem);

    /// <summary>The canonical HOCON literal for a value.</summary>
    internal abstract string Render(T value);

    /// <summary>The value as <c>--help</c> shows it, in command-line terms (unquoted, durations in seconds).</summary>
    internal abstract string Display(T value);
}
