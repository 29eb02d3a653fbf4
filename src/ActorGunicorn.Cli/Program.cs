using ActorGunicorn.Runtime;

// One executable, three roles: the arbiter (what users run), a worker (what the arbiter spawns), and the control
// client (`actorgunicorn ctl …`, gunicorn's gunicornc).
return args switch
{
    [WorkerMain.ModeFlag, ..] => await WorkerMain.RunAsync(args),
    [CtlCommandLine.Verb, .. var rest] => await CtlMain.RunAsync(rest),
    _ => await ArbiterMain.RunAsync(args),
};
