using JobServer.Sdk.Errors;
using JobServer.Services.Exec;

namespace JobServer.Tests.Exec;

public sealed class ExecTimeoutTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(0.0009)]
    [InlineData(2_592_000.5)]
    [InlineData(1e12)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Check_OutOfRange_IsEinvalOnTheOption(double seconds)
    {
        var check = () => ExecTimeout.Check(seconds);

        var error = check.Should().Throw<ValidationException>().Which;
        error.Errno.Should().Be(Errno.EINVAL);
        error.Errors[0].Attribute.Should().Be("exec_run.options.timeout_seconds");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.001)]
    [InlineData(0.3)]
    [InlineData(3600.0)]
    [InlineData(2_592_000.0)]
    public void Check_InRangeOrNone_Passes(double? seconds) => ExecTimeout.Check(seconds);

    [Fact]
    public void MaxSeconds_FitsATimer()
    {
        // The range exists so the timer can always be built: CancellationTokenSource refuses more than ~49.7 days.
        using var source = new CancellationTokenSource(TimeSpan.FromSeconds(ExecTimeout.MaxSeconds), TimeProvider.System);
        source.IsCancellationRequested.Should().BeFalse();
    }
}
