using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Security;

/// <summary>Settings under <c>Planner:Sessions</c>: how long a browser stays signed in to the web pages.</summary>
public sealed class SessionOptions
{
    public const string Section = "Planner:Sessions";

    /// <summary>A session unused this long ends; each request within it extends it (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in however busy it is: then the key must be given again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "90.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>
/// Browser sessions made from an API key or by single sign-on (docs/security.md): what the cookie carries beside the
/// principal, and the check on every request. A session ends at its absolute lifetime; a key's session when its key is
/// revoked (on every silo, at the next request), or when it was made with the bootstrap key and the configured bootstrap
/// key is no longer that key; a single sign-on session when the identity provider no longer vouches for it
/// (<see cref="OidcWebSignIn.StillSignedInAsync"/>).
/// </summary>
internal static class Sessions
{
    /// <summary>When the browser signed in (Unix seconds); sliding renewals keep it.</summary>
    public const string SignedInAtClaim = "planner:signed-in-at";

    /// <summary>For the bootstrap key only: a hash of the key the session was made with (the cookie is encrypted besides).</summary>
    public const string KeyHashClaim = "planner:key-hash";

    public static IServiceCollection AddPlannerSessions(this IServiceCollection services, string cookieScheme)
    {
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CookieAuthenticationOptions>(cookieScheme).Configure<IOptions<SessionOptions>>((cookie, sessions) =>
        {
            cookie.ExpireTimeSpan = sessions.Value.IdleTimeout;
            cookie.SlidingExpiration = true;
        });
        return services;
    }

    /// <summary>The principal a browser session carries: the key's, plus when it signed in and (bootstrap key) which key.</summary>
    public static ClaimsPrincipal Principal(ApiKeyIdentity identity, string key, string scheme, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(key);
        var principal = ApiKeyLookup.ToPrincipal(identity, scheme);
        var claims = (ClaimsIdentity)principal.Identity!;
        claims.AddClaim(new Claim(SignedInAtClaim, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        if (identity.KeyId == ApiKeyLookup.BootstrapKeyId)
        {
            claims.AddClaim(new Claim(KeyHashClaim, Convert.ToBase64String(ApiKeySecrets.Hash(key.Trim()))));
        }

        return principal;
    }

    /// <summary>Whether the session may go on: within its absolute lifetime, its key still valid.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var principal = context.Principal;
        if (principal is null || !await IsValidAsync(principal, context, services, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
        }
    }

    private static async Task<bool> IsValidAsync(ClaimsPrincipal principal, CookieValidatePrincipalContext context, IServiceProvider services, CancellationToken ct)
    {
        var lifetime = services.GetRequiredService<IOptions<SessionOptions>>().Value.AbsoluteLifetime;
        var now = services.GetService<TimeProvider>() ?? TimeProvider.System;
        if (!long.TryParse(principal.FindFirstValue(SignedInAtClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var signedIn)
            || now.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(signedIn) > lifetime)
        {
            return false;
        }

        if (principal.Subject() is not null)
        {
            // Single sign-on: as long as the identity provider still vouches for the sign-in (asked every few minutes).
            return await OidcWebSignIn.StillSignedInAsync(context);
        }

        if (principal.KeyId() is not { } keyId)
        {
            return false;
        }

        if (keyId == ApiKeyLookup.BootstrapKeyId)
        {
            // Bound to the key it was made with: a changed (or removed) bootstrap key ends the session.
            var bootstrap = services.GetRequiredService<IOptionsMonitor<Hosting.PlannerOptions>>().CurrentValue.BootstrapAdminKey;
            return !string.IsNullOrEmpty(bootstrap) && IsBoundTo(principal.FindFirstValue(KeyHashClaim), bootstrap);
        }

        // A revoked key ends its browser sessions at the next request, on every silo.
        return await services.GetRequiredService<ApiKeyLookup>().IsActiveAsync(keyId, ct);
    }

    /// <summary>Whether the session's key hash is the hash of this key (compared in constant time).</summary>
    private static bool IsBoundTo(string? boundHash, string key)
    {
        Span<byte> bound = stackalloc byte[32];
        return boundHash is not null && Convert.TryFromBase64String(boundHash, bound, out var written) && written == bound.Length
            && ApiKeySecrets.HashesEqual(bound, ApiKeySecrets.Hash(key.Trim()));
    }
}
