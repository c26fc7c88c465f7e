using JobServer.Sdk.Errors;
using JobServer.Services.Exec;

namespace JobServer.Tests.Exec;

public sealed class ExecEnvironmentPolicyTests
{
    private static readonly ExecEnvironmentPolicy Default = new([]);

    private static Dictionary<string, string> Env(string name, string value = "x") => new() { [name] = value };

    [Theory]
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("ld_preload")]
    [InlineData("DYLD_INSERT_LIBRARIES")]
    [InlineData("GCONV_PATH")]
    [InlineData("GLIBC_TUNABLES")]
    [InlineData("PYTHONPATH")]
    [InlineData("PYTHONSTARTUP")]
    [InlineData("PERL5OPT")]
    [InlineData("PERLLIB")]
    [InlineData("RUBYOPT")]
    [InlineData("NODE_OPTIONS")]
    [InlineData("BASH_ENV")]
    [InlineData("ENV")]
    [InlineData("BASH_FUNC_echo%%")]
    [InlineData("IFS")]
    [InlineData("PATH")]
    [InlineData("DOTNET_STARTUP_HOOKS")]
    [InlineData("JAVA_TOOL_OPTIONS")]
    public void Check_LoaderOrInterpreterVariable_IsRefusedNamingIt(string name)
    {
        var check = () => Default.Check(Env(name));

        var error = check.Should().Throw<ValidationException>().Which;
        error.Errno.Should().Be(Errno.EINVAL);
        error.Errors[0].Attribute.Should().Be($"exec_run.options.env.{name}");
    }

    [Theory]
    [InlineData("BACKUP_TARGET")]
    [InlineData("LANG")]
    [InlineData("TOKEN")]
    [InlineData("MYPATH")]
    public void Check_OrdinaryVariable_Passes(string name) => Default.Check(Env(name));

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("A\0B")]
    public void Check_InvalidName_IsRefused(string name)
    {
        var check = () => Default.Check(Env(name));

        check.Should().Throw<ValidationException>().Which.Errors[0].Attribute.Should().Be("exec_run.options.env");
    }

    [Fact]
    public void Check_SeveralRefused_ReportsEachOnce()
    {
        var check = () => Default.Check(new Dictionary<string, string> { ["LD_PRELOAD"] = "a", ["PATH"] = "b", ["OK"] = "c" });

        check.Should().Throw<ValidationException>().Which.Errors.Select(e => e.Attribute)
            .Should().Equal("exec_run.options.env.LD_PRELOAD", "exec_run.options.env.PATH");
    }

    [Fact]
    public void Check_WithAnAllowList_AdmitsOnlyItsNames_DenyListIncluded()
    {
        var policy = new ExecEnvironmentPolicy(["BACKUP_*", "PYTHONPATH"]);

        policy.Check(Env("BACKUP_TARGET"));
        policy.Check(Env("PYTHONPATH"));
        var other = () => policy.Check(Env("LANG"));
        other.Should().Throw<ValidationException>().Which.Errors[0].Message.Should().Contain("AllowedEnvironment");
        var preload = () => policy.Check(Env("LD_PRELOAD"));
        preload.Should().Throw<ValidationException>();
    }

    [Fact]
    public void Check_NoEnvironment_Passes() => Default.Check(null);
}
