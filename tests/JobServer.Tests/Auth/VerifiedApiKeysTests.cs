using JobServer.Auth;
using JobServer.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Auth;

public sealed class VerifiedApiKeysTests
{
    private static readonly HashSet<string> Roles = ["FULL_ADMIN"];
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Remembered_IsGivenBack_UntilItsLifetimeEnds()
    {
        var keys = Keys(cacheSeconds: 10);
        keys.Remember(Row(7), Roles, accountVersion: 3, keys.Generation);

        keys.TryGet(7, out var key, out var roles, out var version).Should().BeTrue();
        key.Id.Should().Be(7);
        roles.Should().BeSameAs(Roles);
        version.Should().Be(3);
        _clock.Advance(TimeSpan.FromSeconds(10));
        keys.TryGet(7, out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Forget_DropsTheKey_AndARowReadBeforeItIsNotKept()
    {
        var keys = Keys(cacheSeconds: 10);
        keys.Remember(Row(1), Roles, 0, keys.Generation);
        var readBeforeTheChange = keys.Generation;

        keys.Forget(1);
        keys.Remember(Row(1), Roles, 0, readBeforeTheChange);

        keys.TryGet(1, out _, out _, out _).Should().BeFalse();
        keys.Remember(Row(1), Roles, 0, keys.Generation);
        keys.TryGet(1, out _, out _, out _).Should().BeTrue();
    }

    [Fact]
    public void ZeroSeconds_RemembersNothing()
    {
        var keys = Keys(cacheSeconds: 0);

        keys.Remember(Row(1), Roles, 0, keys.Generation);

        keys.TryGet(1, out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Full_KeepsWhatItHas_AndRemembersNoMore()
    {
        var keys = Keys(cacheSeconds: 10);
        for (var id = 0; id < VerifiedApiKeys.Capacity; id++)
        {
            keys.Remember(Row(id), Roles, 0, keys.Generation);
        }

        keys.Remember(Row(VerifiedApiKeys.Capacity), Roles, 0, keys.Generation);
        keys.Remember(Row(0), null, 1, keys.Generation);

        keys.TryGet(VerifiedApiKeys.Capacity, out _, out _, out _).Should().BeFalse();
        keys.TryGet(0, out _, out var refreshedRoles, out _).Should().BeTrue();
        refreshedRoles.Should().BeNull("a key already held is refreshed even when the cache is full");
    }

    private VerifiedApiKeys Keys(int cacheSeconds) =>
        new(Options.Create(new AuthOptions { ApiKeyCacheSeconds = cacheSeconds }), _clock);

    private static ApiKey Row(long id) => new() { Id = id, Name = "k", Username = "root", Roles = "", KeyHash = "" };
}
