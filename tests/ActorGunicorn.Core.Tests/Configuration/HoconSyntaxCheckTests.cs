using ActorGunicorn.Configuration;
using Akka.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class HoconSyntaxCheckTests
{
    [Theory]
    [InlineData("a { b = 2 } }\nc = 3", "line 1: '}' has no matching '{'")]
    [InlineData("a {\n b = 2\nc = 3", "line 1: '{' is never closed")]
    [InlineData("a = [1, 2\n", "line 1: '[' is never closed")]
    [InlineData("a = [1,\n 2}", "line 2: '}' cannot close the '[' opened on line 1")]
    [InlineData("a {\n b = \"x }\n}", "line 2: a quoted string is not closed on its line")]
    [InlineData("a = \"\"\"x\n", "line 1: a \"\"\" string is never closed")]
    public void Unbalanced_brackets_that_akka_would_silently_accept_are_found(string text, string problem) =>
        Assert.Equal(problem, HoconSyntaxCheck.FindUnbalanced(text));

    [Theory]
    [InlineData("a { b = 2 }\nc = [1, [2]]")]
    [InlineData("a = \"}\" # }\nb = \"\\\"{\" // {")]
    [InlineData("a = \"\"\"multi {\nline\"\"\"\nb = ${a}")]
    [InlineData("url = \"http://x/{y}\"")]
    public void Brackets_in_strings_comments_and_substitutions_are_not_counted(string text) =>
        Assert.Null(HoconSyntaxCheck.FindUnbalanced(text));

    [Theory]
    [InlineData("a { b 2 }", "a.b 2")]
    [InlineData("workers 4", "workers 4")]
    public void A_key_without_a_value_is_found(string text, string key) =>
        Assert.Equal(key, HoconSyntaxCheck.FindKeyWithoutValue(ConfigurationFactory.ParseString(text).Root));

    [Fact]
    public void Null_and_empty_values_are_values() =>
        Assert.Null(HoconSyntaxCheck.FindKeyWithoutValue(ConfigurationFactory.ParseString("a { b = null\n c = \"\"\n d = []\n e {} }").Root));
}
