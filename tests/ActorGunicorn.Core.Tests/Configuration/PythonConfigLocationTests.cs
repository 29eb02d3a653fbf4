using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

/// <summary>Which <c>-c</c> arguments name a Python configuration, in gunicorn's forms.</summary>
public sealed class PythonConfigLocationTests
{
    [Theory]
    [InlineData("python:myproject.settings", "python:myproject.settings")]
    [InlineData("file:conf/server.cfg", "file:/srv/app/conf/server.cfg")]
    [InlineData("gunicorn.conf.py", "file:/srv/app/gunicorn.conf.py")]
    [InlineData("/etc/app/gunicorn.conf.py", "file:/etc/app/gunicorn.conf.py")]
    public void Gunicorns_forms_name_a_python_configuration(string argument, string canonical)
    {
        Assert.Equal(canonical, PythonConfigLocation.FromArgument(argument, "/srv/app")!.Value);
    }

    [Theory]
    [InlineData("production.conf")]
    [InlineData("/etc/app/settings.hocon")]
    public void Any_other_path_is_a_hocon_file(string argument)
    {
        Assert.Null(PythonConfigLocation.FromArgument(argument, "/srv/app"));
    }

    [Theory]
    [InlineData("python:", "-c/--config: 'python:' names no module")]
    [InlineData("file:", "-c/--config: 'file:' names no file")]
    public void A_prefix_without_a_name_is_an_error(string argument, string message)
    {
        Assert.Equal(message, Assert.Throws<SettingsException>(() => PythonConfigLocation.FromArgument(argument, "/srv/app")).Message);
    }
}
