using Akka.Actor;
using Akka.Hosting;
using ActorGunicorn.Hosting;
using EmbeddedHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A generic host whose Akka.NET actor system also serves HTTP: the counter actor answers every request.
// `--bind HOST:PORT` chooses the address (default 127.0.0.1:8000); SIGTERM or Ctrl+C stops it gracefully.
var bind = BindAddress(args);
var builder = Host.CreateApplicationBuilder();
builder.Services.AddAkka("embedded-host", akka =>
{
    akka.WithActors((system, registry) => registry.Register<CounterActor>(system.ActorOf(Props.Create<CounterActor>(), "counter")));
    akka.WithActorGunicorn(ActorHandler.Registered<CounterActor>(), options => options.Bind = [bind]);
});
await builder.Build().RunAsync().ConfigureAwait(false);
return 0;

static string BindAddress(string[] args)
{
    int at = Array.IndexOf(args, "--bind");
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : "127.0.0.1:8000";
}
