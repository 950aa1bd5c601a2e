using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// Settings under <c>Planner:Oidc</c> (environment variables <c>Planner__Oidc__…</c>): sign-in with a ministry's own
/// OpenID Connect identity provider, beside API keys. Off unless <see cref="Authority"/> is set.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Planner:Oidc";

    /// <summary>The identity provider's issuer URL; its discovery document and signing keys are read from there. Empty: sign-in is off.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (this API's client or resource id at the identity provider).</summary>
    public string? Audience { get; set; }

    /// <summary>The claim that carries the user's roles or groups at the identity provider.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// Identity-provider role values → planner roles (<c>admin</c>, <c>organiser</c>, <c>reviewer</c>, <c>delegate</c>,
    /// <c>viewer</c>), e.g. <c>{"ministry-staff": "admin"}</c>. Values not listed are ignored: a token's roles count only
    /// through this map, even when they happen to be spelled like a planner role.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; init; } = new(StringComparer.Ordinal);

    /// <summary>For delegates: the claim that holds the id of the person they are (a UUID). Without it a delegate sees no one.</summary>
    public string? PersonClaim { get; set; }

    /// <summary>The claim that names the user in the audit and logs; <c>sub</c> when it is missing.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>Whether the discovery document must be fetched over HTTPS. Turn off only for a local test identity provider.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>Refuses to start with an OpenID Connect configuration that could not work or would grant unknown roles.</summary>
internal sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            failures.Add("Planner:Oidc:Authority must be an absolute http(s) URL (the identity provider's issuer).");
        }
        else if (options.RequireHttpsMetadata && authority.Scheme != "https")
        {
            failures.Add("Planner:Oidc:Authority must use https (set Planner:Oidc:RequireHttpsMetadata=false only for a local test identity provider).");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Planner:Oidc:Audience is required when Planner:Oidc:Authority is set: tokens issued for other applications must not be accepted.");
        }

        if (string.IsNullOrWhiteSpace(options.RoleClaim))
        {
            failures.Add("Planner:Oidc:RoleClaim must name a claim (default 'roles').");
        }

        foreach (var (from, to) in options.RoleMap)
        {
            if (!Roles.All.Contains(to))
            {
                failures.Add($"Planner:Oidc:RoleMap maps '{from}' to '{to}', which is not a planner role ({string.Join(", ", Roles.All)}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
