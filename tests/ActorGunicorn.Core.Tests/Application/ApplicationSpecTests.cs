using ActorGunicorn.Application;
using Xunit;

namespace ActorGunicorn.Core.Tests.Application;

public sealed class ApplicationSpecTests
{
    [Theory]
    [InlineData("App.dll", "App.dll", null)]
    [InlineData("bin/App.dll:My.Namespace.Type", "bin/App.dll", "My.Namespace.Type")]
    [InlineData("/opt/c:d/App.DLL:T", "/opt/c:d/App.DLL", "T")]
    public void A_dotnet_application_spec_names_an_assembly_and_maybe_a_type(string text, string assembly, string? type)
    {
        Assert.Equal(new ApplicationSpec(assembly, type), ApplicationSpec.Parse(text));
    }

    [Theory]
    [InlineData("myproject.wsgi")]
    [InlineData("app:create_app()")]
    public void A_python_module_is_not_a_dotnet_application(string text)
    {
        var error = Assert.Throws<ApplicationLoadException>(() => ApplicationSpec.Parse(text));
        Assert.Contains("is not a .NET application", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("App.dll", true)]
    [InlineData("bin/App.DLL:My.Type", true)]
    [InlineData("myproject.wsgi", false)]
    [InlineData("app:create_app('dll')", false)]
    [InlineData("hello", false)]
    public void An_application_is_dotnet_when_it_names_an_assembly_and_python_otherwise(string text, bool isDotNet)
    {
        Assert.Equal(isDotNet, ApplicationSpec.IsDotNet(text));
    }

    [Fact]
    public void An_empty_type_name_is_an_app_load_error()
    {
        var error = Assert.Throws<ApplicationLoadException>(() => ApplicationSpec.Parse("App.dll:"));
        Assert.Contains("names no type", error.Message, StringComparison.Ordinal);
    }
}
