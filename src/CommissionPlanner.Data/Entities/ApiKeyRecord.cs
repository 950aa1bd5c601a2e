using NodaTime;

namespace CommissionPlanner.Data.Entities;

/// <summary>An API key as stored: only a SHA-256 hash of the secret, never the secret itself.</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }
    /// <summary>For a <c>delegate</c> key: the one person it may see and answer for.</summary>
    public Guid? PersonId { get; set; }
    public required byte[] SecretHash { get; set; }
    /// <summary>The first characters of the key, safe to show so people can tell keys apart.</summary>
    public required string Prefix { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant? RevokedAt { get; set; }
}
