using System.Globalization;
using System.Text.Json.Nodes;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Protocol.Ddp;
using JobServer.Sdk;

namespace JobServer.Tests.Jobs;

/// <summary>The job hot path's hand-written encodings must match what they replaced, byte for byte.</summary>
public sealed class JobStorageEncodingTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(10L)]
    [InlineData(1_234_500L)]
    [InlineData(9_999_999L)]
    public void FormatDate_AnyFraction_MatchesMicrosoftDataSqliteText(long fractionTicks)
    {
        var instant = new DateTime(2026, 11, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(fractionTicks);
        Span<char> text = stackalloc char[27];

        var length = JobSql.FormatDate(instant, text);

        text[..length].ToString().Should().Be(
            instant.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ToEvent_FullRecord_CarriesTheSameFieldsAsFromRecord()
    {
        var record = new JobRecord
        {
            Id = 42,
            Method = "bench.noop",
            State = "FAILED",
            Description = "Copy \"a\" to <b>",
            Abortable = true,
            LogsPath = "/var/lib/jobs/42.log",
            LogsExcerpt = "line 1\nline 2",
            Error = "[EINVAL] nope",
            Exception = "CallError: nope",
            TimeStarted = new DateTime(2026, 11, 3, 4, 5, 6, 789, DateTimeKind.Utc),
            TimeFinished = new DateTime(2026, 11, 3, 4, 5, 7, DateTimeKind.Utc),
            Username = "root",
            CredentialType = "API_KEY",
            // JSON columns are written by JsonNode.ToJsonString (so "é" is stored escaped, as the wire has it).
            ArgumentsJson = new JsonArray("é", 1, new JsonObject { ["a"] = null }).ToJsonString(),
            ProgressJson = """{"percent":null,"description":"Copied 3 bytes","extra":{"x":1}}""",
            ResultJson = """{"exit_code":1}""",
            ExcInfoJson = """{"repr":"CallError(nope)","type":"CallError","errno":22,"extra":null}""",
            MessageIdsJson = """["6841f242",7]""",
        };

        var encoded = DdpMessages.Event(JobDocument.ToEvent("core.get_jobs", EventKind.Changed, record));
        var expected = DdpMessages.Event(new JobServer.Events.CollectionEvent(
            "core.get_jobs", EventKind.Changed, record.Id, JobDocument.FromRecord(record)));

        System.Text.Encoding.UTF8.GetString(encoded).Should().Be(System.Text.Encoding.UTF8.GetString(expected));
    }

    [Fact]
    public void ToEvent_NoOwner_HasNoCredentialsAndNullOwner()
    {
        var record = new JobRecord { Id = 1, Method = "core.bulk", State = "WAITING" };

        var change = JobDocument.ToEvent("core.get_jobs", EventKind.Added, record);

        JobDocument.OwnerOf(change).Should().BeNull();
        JsonNode.Parse(DdpMessages.Event(change))!["fields"]!["credentials"].Should().BeNull();
    }
}
