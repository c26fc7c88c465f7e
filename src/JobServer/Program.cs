using JobServer.Hosting;
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

try
{
    var app = await JobServerHost.CreateAsync(args);
    await app.RunAsync();
    return 0;
}
catch (DataDirectoryInUseException e)
{
    // Refused before anything was touched; the message names the process that holds the directory.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
