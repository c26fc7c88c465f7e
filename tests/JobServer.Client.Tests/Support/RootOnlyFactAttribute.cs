namespace JobServer.Client.Tests.Support;

/// <summary>A test that needs root to act as another user (setpriv to <c>nobody</c>); skipped, saying so, otherwise.</summary>
public sealed class RootOnlyFactAttribute : FactAttribute
{
    public RootOnlyFactAttribute()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
        {
            Skip = "needs root and setpriv (util-linux) to run jobctl as another user";
        }
    }
}
