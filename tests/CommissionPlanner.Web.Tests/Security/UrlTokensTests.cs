using CommissionPlanner.Web.Security;

namespace CommissionPlanner.Web.Tests.Security;

public sealed class UrlTokensTests
{
    [Fact]
    public void Every_new_token_looks_like_one()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(UrlTokens.LooksLikeToken(UrlTokens.NewToken()));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 42
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // base64, not base64url
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé")]
    [InlineData("ÀAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Anything_but_43_base64url_characters_does_not(string candidate) => Assert.False(UrlTokens.LooksLikeToken(candidate));

    [Fact]
    public void Every_base64url_character_is_allowed_anywhere()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        foreach (var c in alphabet)
        {
            Assert.True(UrlTokens.LooksLikeToken(new string(c, 43)));
        }
    }
}
