using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

/// <summary>
/// reference.conf and docs/settings.md are generated from the settings table and committed. These tests fail when
/// the committed text differs from the generated text, or rewrite the files when UPDATE_GENERATED_DOCS=1.
/// </summary>
public sealed class GeneratedFilesTests
{
    [Fact]
    public void The_committed_reference_conf_is_the_one_generated_from_the_table() =>
        AssertGenerated("src/ActorGunicorn.Core/Configuration/reference.conf", SettingsDocumentation.RenderReferenceConf());

    [Fact]
    public void The_committed_settings_page_is_the_one_generated_from_the_table() =>
        AssertGenerated("docs/settings.md", SettingsDocumentation.RenderMarkdown());

    private static void AssertGenerated(string relativePath, string generated)
    {
        var path = Repository.PathOf(relativePath);
        if (Environment.GetEnvironmentVariable("UPDATE_GENERATED_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
            return;
        }

        var committed = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        Assert.True(
            committed == generated,
            $"{relativePath} is out of date with the settings table. Regenerate it with `{SettingsDocumentation.RegenerateCommand}`, "
            + "then rebuild so the embedded reference.conf matches, and commit the result.");
    }
}
