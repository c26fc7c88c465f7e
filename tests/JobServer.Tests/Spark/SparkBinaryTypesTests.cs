using JobServer.Spark;
using JobServer.Spark.Binaries;

namespace JobServer.Tests.Spark;

public sealed class SparkBinaryTypesTests
{
    [Theory]
    [InlineData("application/java-archive", "Jar")]
    [InlineData("application/python-wheel", "Wheel")]
    [InlineData("application/python-egg", "Egg")]
    [InlineData("application/python-archive", "Egg")]
    [InlineData("python-archive", "Egg")]
    [InlineData("Application/Java-Archive; charset=binary", "Jar")]
    [InlineData("application/octet-stream", "Dll")]
    [InlineData("application/x-msdownload", "Dll")]
    [InlineData("application/vnd.microsoft.portable-executable", "Dll")]
    [InlineData("application/zip", "Zip")]
    public void FromMediaType_KnownTypes_AreTheirKind(string contentType, string expected) =>
        SparkBinaryTypes.FromMediaType(contentType).ToString().Should().Be(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("text/uri-list")]
    public void FromMediaType_AnythingElse_IsNull(string? contentType) =>
        SparkBinaryTypes.FromMediaType(contentType).Should().BeNull();

    [Fact]
    public void HasSignature_ArchivesNeedZip_AssembliesNeedMz()
    {
        SparkBinaryTypes.HasSignature(SparkBinaryType.Jar, "PK\u0003\u0004rest"u8).Should().BeTrue();
        SparkBinaryTypes.HasSignature(SparkBinaryType.Wheel, "MZ\u0090\u0000"u8).Should().BeFalse();
        SparkBinaryTypes.HasSignature(SparkBinaryType.Dll, "MZ\u0090\u0000"u8).Should().BeTrue();
        SparkBinaryTypes.HasSignature(SparkBinaryType.Dll, "PK\u0003\u0004"u8).Should().BeFalse();
        SparkBinaryTypes.HasSignature(SparkBinaryType.Jar, "PK"u8).Should().BeFalse("a short body is not a zip");
    }

    [Theory]
    [InlineData("test", true)]
    [InlineData("word-count_1.2", true)]
    [InlineData("..", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void SparkName_AllowsOnlyPlainNames(string? name, bool valid) =>
        SparkName.IsValid(name).Should().Be(valid);
}
