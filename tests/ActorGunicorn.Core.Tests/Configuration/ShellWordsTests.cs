using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class ShellWordsTests
{
    [Theory]
    [InlineData("-w 2 --bind 0.0.0.0:80", new[] { "-w", "2", "--bind", "0.0.0.0:80" })]
    [InlineData("  -w\t2\n ", new[] { "-w", "2" })]
    [InlineData("", new string[0])]
    [InlineData("--access-logformat '%(h)s \"%(r)s\"'", new[] { "--access-logformat", "%(h)s \"%(r)s\"" })]
    [InlineData("--access-logformat \"%(h)s \\\"%(r)s\\\"\"", new[] { "--access-logformat", "%(h)s \"%(r)s\"" })]
    [InlineData("-e 'A=has space'", new[] { "-e", "A=has space" })]
    [InlineData("-e A='x y'z", new[] { "-e", "A=x yz" })]
    [InlineData("a\\ b", new[] { "a b" })]
    [InlineData("'' x", new[] { "", "x" })]
    [InlineData("\"a\\nb\" '$HOME' #x", new[] { "a\\nb", "$HOME", "#x" })]
    public void Words_are_split_like_a_posix_shell_without_expansion(string line, string[] expected) =>
        Assert.Equal(expected, ShellWords.Split(line));

    [Theory]
    [InlineData("-e 'A=B", "No closing quotation")]
    [InlineData("-e \"A=B", "No closing quotation")]
    [InlineData("-w 2 \\", "No escaped character")]
    public void Unbalanced_quoting_is_an_error_in_shlex_wording(string line, string message) =>
        Assert.Equal(message, Assert.Throws<CommandLineException>(() => ShellWords.Split(line)).Message);
}
