using JobServer.Bench;
using JobServer.Bench.Echo;

if (args.Contains("--echo-server"))
{
    return await EchoServer.RunAsync(args.Where(a => a != "--echo-server").ToArray());
}

return await BenchRunner.RunAsync(args);
