using ActorGunicorn.Cluster;
using ActorGunicorn.Cluster.Ctl;
using ActorGunicorn.Runtime;

// One executable, three roles: the arbiter (what users run), a worker (what the arbiter spawns), and the control
// client (`actorgunicorn ctl …`, gunicorn's gunicornc; with --cluster, the fleet's client). The arbiter joins a
// cluster when seed nodes are configured; the server itself knows nothing of clustering.
return args switch
{
    [WorkerMain.ModeFlag, ..] => await WorkerMain.RunAsync(args),
    [CtlCommandLine.Verb, .. var rest] when ClusterCtlCommandLine.IsRequested(rest) => await ClusterCtl.RunAsync(rest),
    [CtlCommandLine.Verb, .. var rest] => await CtlMain.RunAsync(rest),
    _ => await ArbiterMain.RunAsync(args, ArbiterCluster.Instance),
};
