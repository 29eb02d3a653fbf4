using Akka.Configuration;
using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

/// <summary>A map setting in HOCON: an object adds to the defaults, a list of pairs replaces them.</summary>
public sealed class MapKindTests
{
    private static IReadOnlyDictionary<string, string> Read(string hocon) =>
        SettingsTable.SecureSchemeHeaders.Read(ConfigurationFactory.ParseString(hocon).WithFallback(ReferenceConfig.Load()));

    [Fact]
    public void An_object_is_merged_with_the_defaults()
    {
        var map = Read("""actorgunicorn.secure-scheme-headers = { "X-PROTO" = https, "X-FORWARDED-SSL" = yes }""");

        Assert.Equal(4, map.Count);
        Assert.Equal("yes", map["x-forwarded-ssl"]);
    }

    [Fact]
    public void A_list_of_name_value_pairs_replaces_the_defaults()
    {
        var map = Read("""actorgunicorn.secure-scheme-headers = [["X-PROTO", "https"]]""");

        Assert.Equal("X-PROTO", Assert.Single(map).Key);
    }

    [Fact]
    public void An_empty_list_leaves_no_header()
    {
        Assert.Empty(Read("actorgunicorn.secure-scheme-headers = []"));
    }

    [Theory]
    [InlineData("\"https\"")]
    [InlineData("[\"X-PROTO\"]")]
    [InlineData("[[\"X-PROTO\", \"https\", \"extra\"]]")]
    public void Anything_else_is_refused_naming_both_forms(string value)
    {
        var error = Assert.Throws<SettingsException>(() => Read($"actorgunicorn.secure-scheme-headers = {value}"));

        Assert.EndsWith("expected a map of names to values, such as { \"X-FORWARDED-PROTO\" = https }, or a list of [name, value] pairs", error.Message, StringComparison.Ordinal);
    }
}
