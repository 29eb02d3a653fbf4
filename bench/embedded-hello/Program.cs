using System.Globalization;
using Akka.Hosting;
using ActorGunicorn.Hosting;
using HelloWorld;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// GET / answers "Hello, World!" from the HelloWorld sample's gateway application, served in-process.
// Run: embedded-hello --bind 127.0.0.1:PORT --threads N
var builder = Host.CreateApplicationBuilder();
// As Kestrel's peer is configured: no per-request logging at Information.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddAkka("embedded-hello", akka => akka.WithActorGunicorn(new HelloApp(), options =>
{
    options.Bind = [Argument(args, "--bind", "127.0.0.1:8000")];
    options.Threads = int.Parse(Argument(args, "--threads", "1"), CultureInfo.InvariantCulture);
}));
await builder.Build().RunAsync().ConfigureAwait(false);

static string Argument(string[] args, string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
