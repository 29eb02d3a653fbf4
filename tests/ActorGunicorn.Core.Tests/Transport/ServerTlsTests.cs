using ActorGunicorn.Configuration;
using ActorGunicorn.Transport;
using Xunit;

namespace ActorGunicorn.Core.Tests.Transport;

public sealed class ServerTlsTests
{
    [Fact]
    public void Without_a_certfile_the_listeners_are_plain()
    {
        Assert.Null(ServerTls.Create(ServerSettings.Default));
    }

    [Theory]
    [InlineData("--keyfile")]
    [InlineData("--ca-certs")]
    [InlineData("--cert-reqs")]
    [InlineData("--ciphers")]
    public void A_tls_setting_without_a_certfile_is_an_error_naming_it(string flag)
    {
        var settings = flag switch
        {
            "--keyfile" => ServerSettings.Default with { KeyFile = "server.key" },
            "--ca-certs" => ServerSettings.Default with { CaCerts = "ca.pem" },
            "--cert-reqs" => ServerSettings.Default with { CertReqs = 2 },
            _ => ServerSettings.Default with { Ciphers = "TLS_AES_128_GCM_SHA256" },
        };

        var error = Assert.Throws<SettingsException>(() => ServerTls.Create(settings));

        Assert.Equal($"{flag} is set but --certfile is not: TLS needs a certificate", error.Message);
    }
}
