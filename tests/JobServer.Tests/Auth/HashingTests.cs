using JobServer.Auth;

namespace JobServer.Tests.Auth;

public sealed class HashingTests
{
    [Fact]
    public void PasswordHasher_Hash_VerifiesTheRightPasswordOnly()
    {
        var hash = PasswordHasher.Hash("correct horse", iterations: 1000);

        hash.Should().StartWith("pbkdf2-sha512$1000$");
        hash.Should().NotContain("correct horse");
        PasswordHasher.Verify("correct horse", hash).Should().BeTrue();
        PasswordHasher.Verify("correct horsE", hash).Should().BeFalse();
        PasswordHasher.Verify("", hash).Should().BeFalse();
    }

    [Fact]
    public void PasswordHasher_SamePassword_GetsADifferentSalt() =>
        PasswordHasher.Hash("same", 1000).Should().NotBe(PasswordHasher.Hash("same", 1000));

    [Fact]
    public void PasswordHasher_Verify_MalformedStoredValue_IsFalse() =>
        PasswordHasher.Verify("x", "md5$abc").Should().BeFalse();

    [Fact]
    public void SecretHasher_NewSecret_Is48UrlSafeCharacters() =>
        SecretHasher.NewSecret().Should().MatchRegex("^[A-Za-z0-9_-]{48}$");

    [Fact]
    public void SecretHasher_Hash_IsLowerHexSha256AndMatchesOnlyItsSecret()
    {
        var secret = SecretHasher.NewSecret();
        var hash = SecretHasher.Hash(secret);

        hash.Should().MatchRegex("^[0-9a-f]{64}$");
        SecretHasher.Matches(secret, hash).Should().BeTrue();
        SecretHasher.Matches(secret + "x", hash).Should().BeFalse();
        SecretHasher.Hash("abc").Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(10_000)]
    public void SecretHasher_Matches_SecretsOfAnyLength(int length)
    {
        var secret = new string('é', length / 2) + new string('k', length - length / 2);

        SecretHasher.Matches(secret, SecretHasher.Hash(secret)).Should().BeTrue();
        SecretHasher.Matches(secret + "x", SecretHasher.Hash(secret)).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("ba7816bf")]
    [InlineData("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    public void SecretHasher_Matches_NothingAgainstAMalformedHash(string storedHash) =>
        SecretHasher.Matches("abc", storedHash).Should().BeFalse();

    [Theory]
    [InlineData("12-abc-def", true, 12, "abc-def")]
    [InlineData("1-x", true, 1, "x")]
    [InlineData("-abc", false, 0, "")]
    [InlineData("12-", false, 0, "")]
    [InlineData("x1-abc", false, 0, "")]
    [InlineData("abc", false, 0, "")]
    public void ApiKey_TryParse_SplitsIdAndSecret(string key, bool valid, long id, string secret)
    {
        ApiKeyAuthenticator.TryParse(key, out var parsedId, out var parsedSecret).Should().Be(valid);

        if (valid)
        {
            parsedId.Should().Be(id);
            parsedSecret.Should().Be(secret);
        }
    }
}
