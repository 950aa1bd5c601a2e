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
internal sealed class ApiKeyLookup(IOptionsMonitor<PlannerOptions> plannerOptions, IDbContextFactory<PlannerDbContext> dbFactory)
{
    /// <summary>The fixed id the bootstrap key carries, so audit entries can name it.</summary>
    public static readonly Guid BootstrapKeyId = Guid.Empty;

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

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.Name, k.Role, k.PersonId })
            .SingleOrDefaultAsync(ct);
        return stored is null ? null : new ApiKeyIdentity(stored.Id, stored.Name, stored.Role, stored.PersonId);
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
}
