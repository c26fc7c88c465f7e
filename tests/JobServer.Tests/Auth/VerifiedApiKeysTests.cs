using JobServer.Auth;
using JobServer.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Auth;

public sealed class VerifiedApiKeysTests
{
    private static readonly HashSet<string> OwnerRoles = ["FULL_ADMIN"];
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Remembered_IsGivenBack_UntilItsLifetimeEnds()
    {
        var keys = Keys(cacheSeconds: 10);
        var read = Read(7, accountVersion: 3);
        keys.Remember(read, keys.Generation);

        keys.TryGet(7, out var key).Should().BeTrue();
        key.Should().BeSameAs(read);
        _clock.Advance(TimeSpan.FromSeconds(10));
        keys.TryGet(7, out _).Should().BeFalse();
    }

    [Fact]
    public void Of_NarrowsTheKeysRolesToTheOwners_Once()
    {
        var row = Row(3);
        row.Roles = "FULL_ADMIN";

        var read = VerifiedApiKey.Of(row, new HashSet<string> { "READONLY_ADMIN" }, accountVersion: 0);

        read.GrantedRoles.Should().BeEquivalentTo(["READONLY_ADMIN"], "a demoted owner's FULL_ADMIN key keeps what it still grants");
        VerifiedApiKey.Of(row, ownerRoles: null, 0).GrantedRoles.Should().BeNull("a locked or deleted owner grants nothing");
    }

    [Fact]
    public void Forget_DropsTheKey_AndARowReadBeforeItIsNotKept()
    {
        var keys = Keys(cacheSeconds: 10);
        keys.Remember(Read(1), keys.Generation);
        var readBeforeTheChange = keys.Generation;

        keys.Forget(1);
        keys.Remember(Read(1), readBeforeTheChange);

        keys.TryGet(1, out _).Should().BeFalse();
        keys.Remember(Read(1), keys.Generation);
        keys.TryGet(1, out _).Should().BeTrue();
    }

    [Fact]
    public void ZeroSeconds_RemembersNothing()
    {
        var keys = Keys(cacheSeconds: 0);

        keys.Remember(Read(1), keys.Generation);

        keys.TryGet(1, out _).Should().BeFalse();
    }

    [Fact]
    public void Full_KeepsWhatItHas_AndRemembersNoMore()
    {
        var keys = Keys(cacheSeconds: 10);
        for (var id = 0; id < VerifiedApiKeys.Capacity; id++)
        {
            keys.Remember(Read(id), keys.Generation);
        }

        keys.Remember(Read(VerifiedApiKeys.Capacity), keys.Generation);
        keys.Remember(VerifiedApiKey.Of(Row(0), ownerRoles: null, accountVersion: 1), keys.Generation);

        keys.TryGet(VerifiedApiKeys.Capacity, out _).Should().BeFalse();
        keys.TryGet(0, out var refreshed).Should().BeTrue();
        refreshed!.GrantedRoles.Should().BeNull("a key already held is refreshed even when the cache is full");
    }

    private VerifiedApiKeys Keys(int cacheSeconds) =>
        new(Options.Create(new AuthOptions { ApiKeyCacheSeconds = cacheSeconds }), _clock);

    private static VerifiedApiKey Read(long id, long accountVersion = 0) =>
        VerifiedApiKey.Of(Row(id), OwnerRoles, accountVersion);

    private static ApiKey Row(long id) => new() { Id = id, Name = "k", Username = "root", Roles = "", KeyHash = "" };
}
