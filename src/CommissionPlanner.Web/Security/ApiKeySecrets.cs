using System.Security.Cryptography;
using System.Text;

namespace CommissionPlanner.Web.Security;

/// <summary>Makes and hashes API key secrets.</summary>
public static class ApiKeySecrets
{
    private const string KeyPrefix = "cpk_";

    /// <summary>256 bits from the OS CSPRNG, base64url, with a recognisable prefix (so secret scanners can spot leaks).</summary>
    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// SHA-256 is enough here: keys are long random secrets, not passwords, so there is nothing to brute-force
    /// and a slow hash would only slow every request.
    /// </summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A short, non-secret label for listings: the prefix and first characters.</summary>
    public static string DisplayPrefix(string key) => key.Length <= 12 ? "…" : key[..12];

    /// <summary>Compares in constant time, so response timing reveals nothing about the secret.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
