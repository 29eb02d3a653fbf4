using Akka.Actor;
using Akka.Event;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>
/// The embedded server's lifecycle. Running: the served tree serves on the listeners. Stopping: it was told to stop
/// gracefully and the server waits for it to finish. Stopped: the listeners are closed and every stop request is
/// answered. Its children are supervised as the user guardian supervises a worker process's actors (restarted when
/// they fail), so an actor handler started from props comes back after an exception.
/// </summary>
internal sealed class ServerActor : ReceiveActor
{
    private readonly ServedTree _tree;
    private readonly List<IActorRef> _waitingForStop = [];
    private IActorRef _serving = ActorRefs.Nobody;
    private bool _listenersClosed;

    public ServerActor(ServedTree tree)
    {
        _tree = tree;
        Running();
    }

    private sealed record ServingFinished
    {
        public static readonly ServingFinished Instance = new();
    }

    protected override void PreStart()
    {
        _serving = _tree.Start(Context);
        _tree.Finished.PipeTo(Self, success: () => ServingFinished.Instance, failure: _ => ServingFinished.Instance);
    }

    protected override void PostStop() => CloseListeners();

    private void Running()
    {
        Receive<ActorGunicornServer.GetListening>(_ => Sender.Tell(Listening()));
        Receive<ActorGunicornServer.StopServing>(_ =>
        {
            _waitingForStop.Add(Sender);
            _serving.Tell(_tree.BeginGracefulStop());
            Become(Stopping);
        });
        Receive<ServingFinished>(_ =>
        {
            Context.GetLogger().Warning("The embedded server stopped serving without being asked to");
            Finish();
        });
    }

    private void Stopping()
    {
        Receive<ActorGunicornServer.GetListening>(_ => Sender.Tell(Listening()));
        Receive<ActorGunicornServer.StopServing>(_ => _waitingForStop.Add(Sender));
        Receive<ServingFinished>(_ => Finish());
    }

    private void Stopped()
    {
        Receive<ActorGunicornServer.GetListening>(_ => Sender.Tell(new ActorGunicornServer.Listening([])));
        Receive<ActorGunicornServer.StopServing>(_ => Sender.Tell(ActorGunicornServer.Stopped.Instance));
        Receive<ServingFinished>(_ => { });
    }

    private void Finish()
    {
        Context.Stop(_serving);
        CloseListeners();
        foreach (var waiting in _waitingForStop)
        {
            waiting.Tell(ActorGunicornServer.Stopped.Instance);
        }

        _waitingForStop.Clear();
        Become(Stopped);
    }

    private ActorGunicornServer.Listening Listening() =>
        new(_tree.Listeners.Select(listener => listener.Socket.LocalEndPoint!).ToList());

    private void CloseListeners()
    {
        if (!_listenersClosed)
        {
            _listenersClosed = true;
            Listeners.Close(_tree.Listeners);
        }
    }
}
