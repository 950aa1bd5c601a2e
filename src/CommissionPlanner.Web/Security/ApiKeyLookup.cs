using System.Collections.Concurrent;
using System.Security.Claims;
using CommissionPlanner.Data;
using CommissionPlanner.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Security;

/// <summary>Who an API key is: its id, name, role and (for delegates) person.</summary>
internal sealed record ApiKeyIdentity(Guid KeyId, string Name, string Role, Guid? PersonId);

/// <summary>
/// The one place an API key is checked: the bootstrap admin key from configuration (compared in constant time on the
/// hashes), or a stored, unrevoked key found by its SHA-256. Used by <see cref="ApiKeyAuthenticationHandler"/> for
/// <c>Authorization: Bearer</c> and by the web interface's sign-in page, so both give the same principal.
/// </summary>
/// <remarks>
/// A stored key found here is remembered, by its hash, for <see cref="RevalidateAfterMilliseconds"/>: every API request
/// carries its key, and asking PostgreSQL each time was a round trip per request (docs/performance.md). A revocation
/// made through this silo takes effect at once (<see cref="Forget"/>); one made through another silo within that bound,
/// as for feeds. An unknown key is remembered too, by its hash, for <see cref="UnknownForMilliseconds"/>: keys are random,
/// so one that is unknown never becomes valid, and a client retrying a wrong key costs no query. Guessing with a new key each
/// time is stopped before this, per client address (<see cref="ClientAddressLimits"/>).
/// </remarks>
internal sealed class ApiKeyLookup(IOptionsMonitor<PlannerOptions> plannerOptions, IDbContextFactory<PlannerDbContext> dbFactory)
{
    /// <summary>The fixed id the bootstrap key carries, so audit entries can name it.</summary>
    public static readonly Guid BootstrapKeyId = Guid.Empty;

    private const long RevalidateAfterMilliseconds = 1000;

    /// <summary>More keys than any ministry issues; past it the memory starts over rather than grow.</summary>
    private const int MaxRemembered = 10_000;

    private const long UnknownForMilliseconds = 60_000;

    private readonly ConcurrentDictionary<string, Remembered> remembered = new(StringComparer.Ordinal);

    /// <summary>How long a key found in PostgreSQL counts as known to <see cref="IsKnownWithoutDatabase"/>.</summary>
    private const long KnownForMilliseconds = 10 * 60_000;

    /// <summary>Hashes of stored keys found recently: their holders are not turned away for a neighbour's guessing.</summary>
    private readonly ConcurrentDictionary<string, long> recentlyFound = new(StringComparer.Ordinal);

    /// <summary>Hashes of keys that were not found, and until when that answer stands.</summary>
    private readonly ConcurrentDictionary<string, long> unknown = new(StringComparer.Ordinal);

    /// <summary>Advances on every revocation through this silo: what was remembered before it is checked again.</summary>
    private long revocations;

    /// <summary>A key was revoked through this silo: nothing remembered may answer for it any more.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref revocations);
        remembered.Clear();
    }

    public async Task<ApiKeyIdentity?> FindAsync(string? key, CancellationToken ct)
    {
        key = key?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 200)
        {
            return null;
        }

        var hash = ApiKeySecrets.Hash(key);
        var bootstrap = plannerOptions.CurrentValue.BootstrapAdminKey;
        if (!string.IsNullOrEmpty(bootstrap) && ApiKeySecrets.HashesEqual(hash, ApiKeySecrets.Hash(bootstrap)))
        {
            return new ApiKeyIdentity(BootstrapKeyId, "bootstrap admin key", Roles.Admin, null);
        }

        var hashText = Convert.ToBase64String(hash);
        // Read before PostgreSQL is: a revocation racing with this lookup leaves what is remembered below already stale.
        var revocationsSeen = Interlocked.Read(ref revocations);
        if (remembered.TryGetValue(hashText, out var hit) && hit.Revocations == revocationsSeen
            && Environment.TickCount64 - hit.CheckedAt < RevalidateAfterMilliseconds)
        {
            return hit.Identity;
        }

        if (unknown.TryGetValue(hashText, out var unknownUntil) && Environment.TickCount64 < unknownUntil)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.Name, k.Role, k.PersonId })
            .SingleOrDefaultAsync(ct);
        if (stored is null)
        {
            remembered.TryRemove(hashText, out _);
            if (unknown.Count >= MaxRemembered)
            {
                unknown.Clear();
            }

            unknown[hashText] = Environment.TickCount64 + UnknownForMilliseconds;
            return null;
        }

        var identity = new ApiKeyIdentity(stored.Id, stored.Name, stored.Role, stored.PersonId);
        if (remembered.Count >= MaxRemembered)
        {
            remembered.Clear();
        }

        remembered[hashText] = new Remembered(identity, Environment.TickCount64, revocationsSeen);
        if (recentlyFound.Count >= MaxRemembered)
        {
            recentlyFound.Clear();
        }

        recentlyFound[hashText] = Environment.TickCount64 + KnownForMilliseconds;
        return identity;
    }

    /// <summary>
    /// Whether this key is the bootstrap key or a stored key found in the last minutes, answered from memory. It does not
    /// authenticate (the key is still looked up and may have been revoked since); it only lets a known key's holder past
    /// the limit on failed look-ups that a guesser at the same address has used up (<see cref="ClientAddressLimits"/>).
    /// </summary>
    public bool IsKnownWithoutDatabase(string key)
    {
        key = key.Trim();
        if (key.Length is 0 or > 200)
        {
            return false;
        }

        var hash = ApiKeySecrets.Hash(key);
        var bootstrap = plannerOptions.CurrentValue.BootstrapAdminKey;
        if (!string.IsNullOrEmpty(bootstrap) && ApiKeySecrets.HashesEqual(hash, ApiKeySecrets.Hash(bootstrap)))
        {
            return true;
        }

        return recentlyFound.TryGetValue(Convert.ToBase64String(hash), out var until) && Environment.TickCount64 < until;
    }

    /// <summary>Whether a key found earlier still works: not revoked (or, for the bootstrap key, still configured).</summary>
    public async Task<bool> IsActiveAsync(Guid keyId, CancellationToken ct)
    {
        if (keyId == BootstrapKeyId)
        {
            return !string.IsNullOrEmpty(plannerOptions.CurrentValue.BootstrapAdminKey);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking().AnyAsync(k => k.Id == keyId && k.RevokedAt == null, ct);
    }

    /// <summary>The principal every policy and <see cref="CallerExtensions"/> understand.</summary>
    public static ClaimsPrincipal ToPrincipal(ApiKeyIdentity key, string scheme)
    {
        ArgumentNullException.ThrowIfNull(key);
        var claims = new List<Claim>
        {
            new(PlannerClaims.KeyId, key.KeyId.ToString()),
            new(ClaimTypes.Name, key.Name),
            new(ClaimTypes.Role, key.Role),
        };
        if (key.PersonId is { } person)
        {
            claims.Add(new Claim(PlannerClaims.PersonId, person.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    private sealed record Remembered(ApiKeyIdentity Identity, long CheckedAt, long Revocations);
}
