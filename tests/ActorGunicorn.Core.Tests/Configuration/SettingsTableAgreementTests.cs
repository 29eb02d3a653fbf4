using System.Reflection;
using System.Text.RegularExpressions;
using ActorGunicorn.Configuration;
using Akka.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

/// <summary>
/// The table, the embedded reference.conf, the command-line parser and docs/settings.md must describe the same
/// settings. These checks hold independently of the generated-file comparison.
/// </summary>
public sealed class SettingsTableAgreementTests
{
    private static readonly Config EmbeddedReference = ReferenceConfig.Load();

    public static TheoryData<string> SettingNames() => [.. SettingsTable.All.Select(setting => setting.Name)];

    private static SettingDefinition Setting(string name) => SettingsTable.All.Single(setting => setting.Name == name);

    [Fact]
    public void Every_definition_declared_on_the_table_is_listed_in_it()
    {
        var declared = typeof(SettingsTable).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => typeof(SettingDefinition).IsAssignableFrom(field.FieldType))
            .Select(field => (SettingDefinition)field.GetValue(null)!);

        Assert.Equal(declared.OrderBy(setting => setting.Name), SettingsTable.All.OrderBy(setting => setting.Name));
    }

    [Fact]
    public void Names_flags_and_hocon_keys_are_each_unique()
    {
        Assert.Equal(SettingsTable.All.Count, SettingsTable.All.Select(setting => setting.Name).Distinct().Count());
        var flags = SettingsTable.All.SelectMany(setting => setting.Flags).ToList();
        Assert.Equal(flags.Count, flags.Distinct().Count());
        var keys = SettingsTable.All.Select(setting => setting.HoconKey).OfType<string>().ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void A_hocon_key_is_the_gunicorn_name_in_kebab_case(string name)
    {
        var setting = Setting(name);
        if (setting.HoconKey is null)
        {
            return;
        }

        var expected = setting == SettingsTable.App ? "app" : name.Replace('_', '-');
        Assert.Equal(expected, setting.HoconKey);
        Assert.Matches("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", setting.HoconKey);
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Every_row_is_complete(string name)
    {
        var setting = Setting(name);
        var sections = typeof(SettingSections).GetFields().Select(field => (string)field.GetValue(null)!);

        Assert.Contains(setting.Section, sections);
        Assert.False(string.IsNullOrWhiteSpace(setting.Summary));
        Assert.False(string.IsNullOrWhiteSpace(setting.Description));
        Assert.True(setting.Flags.Count > 0 || setting.HoconKey is not null, "a setting nobody can set");
        Assert.All(setting.Flags, flag => Assert.Matches("^(-[a-zA-Z]|--[a-z][a-z0-9_-]*)$", flag));
        Assert.True(!setting.Kind.TakesArgument || setting.Metavar is not null || setting.Flags.Count == 0, "a flag with a value needs a metavar");
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void The_embedded_reference_holds_every_hocon_key_with_the_tables_default(string name)
    {
        var setting = Setting(name);
        if (setting.HoconPath is null)
        {
            Assert.False(EmbeddedReference.HasPath(SettingsTable.HoconRoot + "." + name.Replace('_', '-')));
            return;
        }

        Assert.True(EmbeddedReference.HasPath(setting.HoconPath), $"{setting.HoconPath} is missing from the embedded reference.conf");
        Assert.Equal(setting.RenderDefault(), setting.RenderFrom(EmbeddedReference));
    }

    [Fact]
    public void The_embedded_reference_holds_nothing_the_table_does_not_know()
    {
        var keys = EmbeddedReference.GetValue(SettingsTable.HoconRoot).GetObject().Items.Keys;
        Assert.All(keys, key => Assert.Contains(SettingsTable.All, setting => setting.HoconKey == key));
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Every_flag_of_every_setting_parses_and_reaches_its_hocon_key(string name)
    {
        var setting = Setting(name);
        foreach (var flag in setting.Flags)
        {
            var args = setting.Kind.TakesArgument ? new[] { flag, SampleArgument(setting) } : [flag];
            var parsed = CommandLineParser.Parse(args);

            Assert.True(parsed.Has(setting), $"{flag} did not set {name}");
            if (setting.HoconPath is not null)
            {
                var layer = parsed.ToLayer();
                Assert.True(layer.HasPath(setting.HoconPath));
                setting.Check(layer);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Every_setting_is_documented_in_the_settings_page(string name)
    {
        var page = File.ReadAllText(Repository.PathOf("docs/settings.md"));
        var setting = Setting(name);
        var entry = Regex.Match(page, $"\n### `{Regex.Escape(name)}`\n(.*?)(?=\n### |\n## |$)", RegexOptions.Singleline);

        Assert.True(entry.Success, $"docs/settings.md has no entry for {name}");
        Assert.All(setting.Flags, flag => Assert.Contains($"`{flag}", entry.Value, StringComparison.Ordinal));
        Assert.Contains(setting.HoconPath is null ? "command line only" : $"`{setting.HoconPath}`", entry.Value, StringComparison.Ordinal);
        Assert.Contains(setting.Description, entry.Value, StringComparison.Ordinal);
    }

    // A value each setting's kind and rule accept, so the check proves the flag reaches a valid key.
    private static string SampleArgument(SettingDefinition setting) => setting.Name switch
    {
        "bind" => "127.0.0.1:9000",
        "raw_env" => "KEY=value",
        "loglevel" => "debug",
        "proxy_protocol" => "v2",
        "header_map" => "refuse",
        "cert_reqs" => "2",
        "tls_min_version" => "1.3",
        "forwarded_allow_ips" or "proxy_allow_ips" or "uwsgi_allow_ips" => "10.0.0.0/8,::1",
        "control_socket_mode" => "0660",
        "user" => "nobody",
        "group" => "nogroup",
        "umask" => "0o22",
        "cluster_seeds" => "10.0.0.5:4053",
        "cluster_split_brain" => "static-quorum",
        "worker_class" => "gevent",
        "protocol" => "http",
        "http_protocols" => "h2,h1",
        "raw_paste_global_conf" => "KEY=value",
        _ when setting.Kind is ChoiceKind choice => choice.Choices[^1],
        _ => setting.Kind == SettingKinds.WholeNumber || setting.Kind == SettingKinds.Seconds || setting.Kind == SettingKinds.ByteCount ? "3" : "sample",
    };
}
