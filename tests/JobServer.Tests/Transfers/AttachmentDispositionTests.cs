using JobServer.Transfers;

namespace JobServer.Tests.Transfers;

/// <summary>Download file names in Content-Disposition (issue 12 item 20): always quoted; filename* only when needed.</summary>
public sealed class AttachmentDispositionTests
{
    [Theory]
    [InlineData("report.txt", "attachment; filename=\"report.txt\"")]
    [InlineData("my report; v2.txt", "attachment; filename=\"my report; v2.txt\"")]
    [InlineData("my \"report\".bin", "attachment; filename=\"my \\\"report\\\".bin\"")]
    [InlineData("dir\\back\\slash.bin", "attachment; filename=\"slash.bin\"")]
    [InlineData("../../etc/passwd", "attachment; filename=\"passwd\"")]
    [InlineData("a\r\nSet-Cookie: x", "attachment; filename=\"aSet-Cookie: x\"")]
    [InlineData("", "attachment; filename=\"download\"")]
    [InlineData("résumé.pdf", "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf")]
    [InlineData("日本 \"x\".txt", "attachment; filename=\"__ \\\"x\\\".txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%20%22x%22.txt")]
    [InlineData("emoji😀.txt", "attachment; filename=\"emoji_.txt\"; filename*=UTF-8''emoji%F0%9F%98%80.txt")]
    public void For_Name_IsQuotedWithAFallbackAndFilenameStarOnlyForNonAscii(string name, string expected) =>
        AttachmentDisposition.For(name).Should().Be(expected);
}
