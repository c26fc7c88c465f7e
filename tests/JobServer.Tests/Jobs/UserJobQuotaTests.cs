using JobServer.Jobs;

namespace JobServer.Tests.Jobs;

public sealed class UserJobQuotaTests
{
    [Fact]
    public void AddAndRemove_CountPerOwner_AndNeverGoBelowZero()
    {
        var quota = new UserJobQuota();
        quota.Add("alice");
        quota.Add("alice");
        quota.Add("bob");
        quota.Add(null);

        quota.UnfinishedOf("alice").Should().Be(2);
        quota.UnfinishedOf("bob").Should().Be(1);
        quota.UnfinishedOf(null).Should().Be(0, "the daemon's own jobs have no owner to count");

        quota.Remove("alice");
        quota.Remove("bob");
        quota.Remove("bob");
        quota.UnfinishedOf("alice").Should().Be(1);
        quota.UnfinishedOf("bob").Should().Be(0);
    }
}
