using System.Security.Cryptography;
using System.Text;

namespace CommissionPlanner.Web.Security;

/// <summary>Tokens for secret URLs (feeds, reply links): the URL is the secret, so it gets 256 bits from the OS CSPRNG and is stored only hashed.</summary>
public static class UrlTokens
{
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Tokens are base64url of 32 bytes (43 characters); anything else cannot be one, and is refused before any look-up.</summary>
    /// <remarks>Checked on every calendar poll: one vectorised search rather than a delegate call per character.</remarks>
    public static bool LooksLikeToken(string token) => token.Length == 43 && !token.AsSpan().ContainsAnyExcept(Base64UrlAlphabet);

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
