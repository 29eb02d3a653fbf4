// GET / answers "Hello, World!" as text/plain with a Content-Length, as the HelloWorld sample does under
// ActorGunicorn. Run: kestrel-hello --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateBuilder(args);

// The web template's appsettings.json keeps ASP.NET Core at Warning; without it every request would be logged at
// Information, which no deployment does.
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var app = builder.Build();
app.MapGet("/", () => Results.Text("Hello, World!", "text/plain"));
await app.RunAsync().ConfigureAwait(false);
