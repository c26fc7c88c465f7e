using System.Net.WebSockets;
using JobServer.IntegrationTests.Support;
using JobServer.Settings;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace JobServer.IntegrationTests.Accounts;

public sealed class SystemGeneralTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Config_Defaults_ComeFromTheStartConfiguration()
    {
        await using var root = await fixture.Daemon.ConnectAsRootAsync();

        var config = await root.CallResultAsync("system.general.config");

        config.GetProperty("job_retention_days").GetInt32().Should().Be(7);
        config.GetProperty("job_retention_count").GetInt32().Should().Be(1000);
        config.GetProperty("log_level").GetString().Should().Be("Warning"); // the tests' Serilog level
        config.GetProperty("anonymous_message_bytes").GetInt32().Should().Be(8192);
        config.GetProperty("anonymous_rate_window_seconds").GetInt32().Should().Be(60);
    }

    [Theory]
    [InlineData("""{"anonymous_message_bytes": 10}""", "system_general_update.anonymous_message_bytes")]
    [InlineData("""{"anonymous_message_bytes": 1000000}""", "system_general_update.anonymous_message_bytes")]
    [InlineData("""{"log_level": "Loud"}""", "system_general_update.log_level")]
    [InlineData("""{"job_retention_days": -1}""", "system_general_update.job_retention_days")]
    [InlineData("""{"anonymous_rate_window_seconds": 0}""", "system_general_update.anonymous_rate_window_seconds")]
    [InlineData("""{"no_such_setting": 1}""", "system_general_update.no_such_setting")]
    public async Task Update_InvalidValue_IsValidationErrorNamingIt(string data, string attribute)
    {
        await using var root = await fixture.Daemon.ConnectAsRootAsync();

        var error = await root.CallErrorAsync("system.general.update", UserQueryFilterTests.Json(data));

        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().Be(attribute);
    }

    [Fact]
    public async Task Update_AppliesAtRunTime_AndSurvivesARestart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "jobserver-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var daemon = await Daemon.StartAsync(dataDir: dataDir))
            {
                await using var root = await daemon.ConnectAsRootAsync();
                // 3 kB is fine for an anonymous connection at first...
                await using (var before = await daemon.ConnectAsync())
                {
                    (await before.CallErrorAsync("core.ping", new string('x', 3000))).Errno().Should().Be(11);
                }

                var updated = await root.CallResultAsync("system.general.update",
                    new { anonymous_message_bytes = 2048, log_level = "debug", job_retention_days = 3 });

                updated.GetProperty("log_level").GetString().Should().Be("Debug");
                daemon.Services.GetRequiredService<LoggingLevelSwitch>().MinimumLevel.Should().Be(LogEventLevel.Debug);
                daemon.Services.GetRequiredService<GeneralSettings>().Current.JobRetentionDays.Should().Be(3);
                // ...and closes the connection once the limit is lowered, without a restart.
                await using var after = await daemon.ConnectAsync();
                await after.SendAsync(new { msg = "method", id = "big", method = "core.ping", @params = new[] { new string('x', 3000) } });
                await after.WaitClosedAsync();
                after.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
                after.CloseDescription.Should().Be("Anonymous connection max message length is 2 kB");
            }

            await using var restarted = await Daemon.StartAsync(dataDir: dataDir);
            await using var again = await restarted.ConnectAsRootAsync();
            var config = await again.CallResultAsync("system.general.config");
            config.GetProperty("anonymous_message_bytes").GetInt32().Should().Be(2048);
            config.GetProperty("job_retention_days").GetInt32().Should().Be(3);
            config.GetProperty("log_level").GetString().Should().Be("Debug");
            restarted.Services.GetRequiredService<LoggingLevelSwitch>().MinimumLevel.Should().Be(LogEventLevel.Debug);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // Still held by a dying connection; the OS cleans the temp folder.
            }
        }
    }
}
