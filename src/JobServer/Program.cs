using JobServer.Cluster;
using JobServer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using JobServer.Workers.Host;

// A worker process for [Job(Process = true)] bodies, started by the daemon: no web host, no settings.
if (args is [WorkerMain.Verb])
{
    return await WorkerMain.RunAsync();
}

// Host-side verbs act on the data directory and exit; anything else starts the daemon.
if (args.Length > 0 && args[0] == PasswordResetCommand.Verb)
{
    return await PasswordResetCommand.RunAsync(args[1..], Console.Out, Console.Error, Console.In);
}

// --help and --version answer and exit before anything is configured or touched.
if (InfoSwitches.TryAnswer(args, Console.Out) is { } answered)
{
    return answered;
}

try
{
    var app = await JobServerHost.CreateAsync(args);
    var membership = app.Services.GetRequiredService<NodeMembership>();
    await app.RunAsync();
    // A cluster node that lost its place stopped itself: a distinct code, so systemd restarts it (a new member).
    return membership.IsFenced ? NodeMembership.FencedExitCode : 0;
}
catch (DataDirectoryInUseException e)
{
    // Refused before anything was touched; the message names the process that holds the directory.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
catch (UnauthorizedAccessException e)
{
    // Most often a bind-mounted or copied data directory owned by another user (docs/operations.md, "Docker").
    await Console.Error.WriteLineAsync(
        $"JobServer cannot use its data directory: {e.Message} Run the daemon as the folder's owner (docker run --user UID:GID) or give the folder to the " +
        "daemon's user.");
    return 1;
}
