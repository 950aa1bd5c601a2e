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

    /// <summary>
    /// The web pages' client id at the identity provider. Set (with <see cref="Authority"/>), the sign-in page offers
    /// single sign-on: the authorization code flow with PKCE. Empty: the pages accept API keys only.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret, for a confidential client; empty for a public client (PKCE alone protects the code).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The name on the sign-in button: "Sign in with …".</summary>
    public string ProviderName { get; set; } = "your organisation's account";

    /// <summary>
    /// For web sign-in: the claim with the user's e-mail address, by which a delegate is matched to their person in the
    /// planner (exactly one person with that address; none or several → no person, and the delegate sees nothing).
    /// </summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>
    /// The scopes web sign-in asks for, separated by spaces. <c>openid</c> is required; <c>offline_access</c> brings the
    /// refresh token with which a session is re-checked (without one a session lasts as long as the access token). Add the
    /// scope your provider puts roles under, if it has one (OpenIddict and some others: <c>roles</c>).
    /// </summary>
    public string Scope { get; set; } = "openid profile email offline_access";

    public IReadOnlyList<string> Scopes() => Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// How often a web session asks the identity provider whether the user's sign-in still stands (a refresh-token grant):
    /// a session revoked at the provider stops working within this long.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>Whether the web pages offer single sign-on (an authority and a client id).</summary>
    public bool WebSignInEnabled => Enabled && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>Refuses to start with an OpenID Connect configuration that could not work or would grant unknown roles.</summary>
internal sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        if (!options.Enabled)
        {
            return string.IsNullOrWhiteSpace(options.ClientId)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Planner:Oidc:ClientId is set but Planner:Oidc:Authority is empty: name the identity provider's issuer URL, or remove the client id.");
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

        if (options.WebSignInEnabled)
        {
            if (string.IsNullOrWhiteSpace(options.EmailClaim))
            {
                failures.Add("Planner:Oidc:EmailClaim must name a claim (default 'email'): delegates are matched to their person by it.");
            }

            if (!options.Scopes().Contains("openid", StringComparer.Ordinal))
            {
                failures.Add($"Planner:Oidc:Scope must include 'openid' (it is '{options.Scope}'): without it the provider issues no ID token.");
            }

            if (string.IsNullOrWhiteSpace(options.ProviderName))
            {
                failures.Add("Planner:Oidc:ProviderName must not be empty: it names the identity provider on the sign-in page.");
            }

            // Shorter would ask the provider on nearly every page; longer leaves a revoked sign-in working for too long.
            if (options.SessionCheckInterval < TimeSpan.FromSeconds(1) || options.SessionCheckInterval > TimeSpan.FromHours(1))
            {
                failures.Add($"Planner:Oidc:SessionCheckInterval must be between 00:00:01 and 01:00:00, not {options.SessionCheckInterval}.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add("Planner:Oidc:ClientSecret is set without Planner:Oidc:ClientId: web sign-in needs the client id the secret belongs to.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
