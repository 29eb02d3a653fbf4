using System.Text.RegularExpressions;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Parses arguments the way gunicorn's argparse parser does, driven by the settings table: <c>--flag value</c>,
/// <c>--flag=value</c>, unambiguous prefixes of long flags, <c>-w 2</c>, <c>-w2</c>, <c>-w=2</c>, clustered short
/// flags, repeatable flags, one positional <c>APP</c>, and <c>--</c> to end options. Errors use argparse's wording.
/// </summary>
internal static partial class CommandLineParser
{
    /// <summary>Parses <paramref name="args"/> against the settings table.</summary>
    /// <exception cref="CommandLineException">An unknown or ambiguous flag, a missing or malformed value, or an extra positional.</exception>
    public static ParsedCommandLine Parse(IReadOnlyList<string> args) => Parse(args, SettingsTable.All);

    /// <summary>Parses <paramref name="args"/> against the given rows, so tests can exercise flag shapes the table does not have yet.</summary>
    internal static ParsedCommandLine Parse(IReadOnlyList<string> args, IReadOnlyList<SettingDefinition> table) => new Run(table).Parse(args);

    // One parse: the state argparse keeps while it walks the arguments.
    private sealed class Run(IReadOnlyList<SettingDefinition> table)
    {
        private readonly Dictionary<string, SettingDefinition> flags =
            table.SelectMany(setting => setting.Flags.Select(flag => (flag, setting))).ToDictionary(p => p.flag, p => p.setting, StringComparer.Ordinal);

        private readonly Queue<SettingDefinition> positionals = new(table.Where(setting => setting.IsPositional));
        private readonly Dictionary<SettingDefinition, List<string>> values = [];
        private readonly List<string> unrecognized = [];

        public ParsedCommandLine Parse(IReadOnlyList<string> args)
        {
            var optionsEnded = false;
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (!optionsEnded && arg == "--")
                {
                    optionsEnded = true;
                    continue;
                }

                var option = optionsEnded ? null : Classify(arg);
                if (option is null)
                {
                    AddPositional(arg);
                }
                else if (option.Value.Setting is not { } setting)
                {
                    // argparse collects unknown options and reports them all at the end, unless help comes first.
                    unrecognized.Add(arg);
                }
                else if (Consume(setting, option.Value.Flag, option.Value.Explicit, args, ref i))
                {
                    return Result();
                }
            }

            if (unrecognized.Count > 0)
            {
                throw new CommandLineException("unrecognized arguments: " + string.Join(' ', unrecognized));
            }

            return Result();
        }

        private ParsedCommandLine Result() =>
            new(values.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value));

        private void AddPositional(string arg)
        {
            if (positionals.TryDequeue(out var setting))
            {
                Add(setting, arg);
            }
            else
            {
                unrecognized.Add(arg);
            }
        }

        // Returns true when the flag ends parsing (help, version).
        private bool Consume(SettingDefinition setting, string flag, string? explicitArgument, IReadOnlyList<string> args, ref int i)
        {
            if (!setting.Kind.TakesArgument)
            {
                Add(setting, "true");
                if (setting.EndsParsing)
                {
                    return true;
                }

                return explicitArgument is not null && ContinueCluster(setting, flag, explicitArgument, args, ref i);
            }

            var argument = explicitArgument;
            if (argument is null)
            {
                if (i + 1 >= args.Count || args[i + 1] == "--" || Classify(args[i + 1]) is not null)
                {
                    throw Error(setting, "expected one argument");
                }

                argument = args[++i];
            }

            if (setting.Kind.CheckArgument(argument) is { } problem)
            {
                throw Error(setting, problem);
            }

            Add(setting, argument);
            return false;
        }

        // "-hv" or "-Dw2": after a short flag without argument, argparse reads the rest as further short flags.
        private bool ContinueCluster(SettingDefinition setting, string flag, string rest, IReadOnlyList<string> args, ref int i)
        {
            if (flag.StartsWith("--", StringComparison.Ordinal) || rest.Length == 0 || !flags.TryGetValue("-" + rest[0], out var next))
            {
                throw Error(setting, $"ignored explicit argument '{rest}'");
            }

            return Consume(next, "-" + rest[0], rest.Length > 1 ? rest[1..] : null, args, ref i);
        }

        /// <summary>
        /// Null when <paramref name="arg"/> is a positional (or a flag's value); otherwise the flag it names, with the
        /// setting null for an unknown flag. Follows argparse's <c>_parse_optional</c>.
        /// </summary>
        private (SettingDefinition? Setting, string Flag, string? Explicit)? Classify(string arg)
        {
            if (arg.Length < 2 || arg[0] != '-')
            {
                return null;
            }

            if (flags.TryGetValue(arg, out var exact))
            {
                return (exact, arg, null);
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var value = equals < 0 ? null : arg[(equals + 1)..];
            if (flags.TryGetValue(name, out var named))
            {
                return (named, name, value);
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var matches = flags.Keys.Where(flag => flag.StartsWith(name, StringComparison.Ordinal)).ToList();
                if (matches.Count > 1)
                {
                    throw new CommandLineException($"ambiguous option: {name} could match {string.Join(", ", matches)}");
                }

                if (matches.Count == 1)
                {
                    return (flags[matches[0]], matches[0], value);
                }
            }
            else if (flags.TryGetValue(arg[..2], out var shortFlag))
            {
                return (shortFlag, arg[..2], arg[2..]);
            }

            // Negative numbers and words with spaces are values, as argparse treats them when no flag looks like one.
            return NegativeNumber().IsMatch(arg) || arg.Contains(' ', StringComparison.Ordinal) ? null : (null, arg, null);
        }

        private void Add(SettingDefinition setting, string argument)
        {
            if (!values.TryGetValue(setting, out var list))
            {
                values[setting] = list = [];
            }

            if (!setting.Kind.IsRepeatable)
            {
                list.Clear();
            }

            list.Add(argument);
        }

        private static CommandLineException Error(SettingDefinition setting, string problem) =>
            new($"argument {setting.CommandLineLabel}: {problem}");
    }

    [GeneratedRegex(@"^-\d+$|^-\d*\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex NegativeNumber();
}
