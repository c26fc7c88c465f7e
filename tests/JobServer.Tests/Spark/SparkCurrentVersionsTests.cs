using JobServer.Spark.Binaries;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Spark;

/// <summary>
/// The remembered current version of a binary: exact on a store this daemon alone writes, trusted for a second on
/// a shared one, forgotten by an upload or delete, and never re-learned from a lookup that a change overtook.
/// </summary>
public sealed class SparkCurrentVersionsTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void TryGet_OnAStoreOfItsOwn_KeepsTheVersionUntilForgotten()
    {
        var versions = new SparkCurrentVersions(_clock, shared: false);
        versions.Remember(Version(1), versions.Generation);
        _clock.Advance(TimeSpan.FromHours(1));

        versions.TryGet("wc", out var binary).Should().BeTrue();
        binary.Id.Should().Be(1);

        versions.Forget("wc");
        versions.TryGet("wc", out _).Should().BeFalse();
    }

    [Fact]
    public void TryGet_OnASharedStore_TrustsTheVersionForSharedMaxAgeOnly()
    {
        var versions = new SparkCurrentVersions(_clock, shared: true);
        versions.Remember(Version(1), versions.Generation);
        _clock.Advance(SparkCurrentVersions.SharedMaxAge - TimeSpan.FromMilliseconds(1));
        versions.TryGet("wc", out _).Should().BeTrue();

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        versions.TryGet("wc", out _).Should().BeFalse();
    }

    [Fact]
    public void Remember_ALookupThatAnUploadOvertook_IsNotKept()
    {
        var versions = new SparkCurrentVersions(_clock, shared: false);
        var before = versions.Generation;
        versions.Forget("wc"); // An upload committed while the lookup was reading the old row.

        versions.Remember(Version(1), before);

        versions.TryGet("wc", out _).Should().BeFalse();
        versions.Remember(Version(2), versions.Generation);
        versions.TryGet("wc", out var binary).Should().BeTrue();
        binary.Id.Should().Be(2);
    }

    private static SparkBinaryInfo Version(long id) =>
        new(id, "wc", SparkBinaryType.Dll, DateTimeOffset.UnixEpoch, $"/data/spark/binaries/{id}.bin");
}
