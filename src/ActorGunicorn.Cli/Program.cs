using ActorGunicorn.Runtime;

// One executable, two roles: the arbiter (what users run) and a worker (what the arbiter spawns).
return args is [WorkerMain.ModeFlag, ..]
    ? await WorkerMain.RunAsync(args)
    : await ArbiterMain.RunAsync(args);
