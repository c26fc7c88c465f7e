using JobServer.Hosting;

var app = await JobServerHost.CreateAsync(args);
await app.RunAsync();
