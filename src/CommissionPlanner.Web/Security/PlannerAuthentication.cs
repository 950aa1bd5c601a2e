using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// Who the caller is: an API key (<see cref="ApiKeyAuthenticationHandler"/>), or, when <c>Planner:Oidc:Authority</c> is set,
/// a JWT from the ministry's OpenID Connect identity provider. Both arrive as <c>Authorization: Bearer …</c>; a policy scheme
/// sends a token shaped like a JWT (three base64url parts) to the JWT handler and everything else to the API-key handler,
/// so keys keep working beside sign-in. Both give the same principal: <c>ClaimTypes.Role</c> with a planner role and, for
/// delegates, <see cref="PlannerClaims.PersonId"/>, so every policy and <see cref="CallerExtensions"/> work unchanged.
/// </summary>
internal static class PlannerAuthentication
{
    /// <summary>The default scheme: forwards to the API-key or the JWT scheme.</summary>
    public const string SchemeName = "Planner";

    public const string JwtScheme = JwtBearerDefaults.AuthenticationScheme;

    private const string IdentityProviderUnavailable = "planner:identity-provider-unavailable";

    public static IServiceCollection AddPlannerAuthentication(this IServiceCollection services)
    {
        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        services.AddSingleton<ApiKeyLookup>();

        services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "API key or OpenID Connect bearer token", policy => policy.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            // Registered always, used only when Planner:Oidc:Authority is set (the selector never picks it otherwise).
            .AddJwtBearer(JwtScheme, _ => { });

        // Read from configuration when first used, so hosts built by tests can supply it late.
        services.AddOptions<JwtBearerOptions>(JwtScheme).Configure<IOptions<OidcOptions>>((jwt, oidcOptions) =>
        {
            var oidc = oidcOptions.Value;
            jwt.Authority = oidc.Enabled ? oidc.Authority : null;
            jwt.Audience = oidc.Audience;
            jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            // Keep the token's own claim names ("sub", "roles"): roles count only through Planner:Oidc:RoleMap, never because
            // an identity provider's value happens to read "admin".
            jwt.MapInboundClaims = false;
            jwt.SaveToken = false;
            jwt.TokenValidationParameters.ValidateIssuer = true;
            jwt.TokenValidationParameters.ValidateAudience = true;
            jwt.TokenValidationParameters.ValidateLifetime = true;
            jwt.TokenValidationParameters.RequireExpirationTime = true;
            jwt.TokenValidationParameters.RequireSignedTokens = true;
            jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    var principal = ToPlannerPrincipal(context.Principal!, oidc);
                    if (principal is null)
                    {
                        context.Fail("The token has no subject ('sub').");
                    }
                    else
                    {
                        context.Principal = principal;
                    }

                    return Task.CompletedTask;
                },
                OnAuthenticationFailed = context =>
                {
                    // Not a bad token but no way to check one (the identity provider's keys could not be fetched):
                    // say so with a 503 rather than let it become a 500, or a 401 that sends users to sign in again.
                    if (!IsBadToken(context.Exception))
                    {
                        context.HttpContext.Items[IdentityProviderUnavailable] = true;
                        context.Fail("The identity provider could not be reached.");
                    }

                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    if (context.HttpContext.Items.ContainsKey(IdentityProviderUnavailable))
                    {
                        context.Response.Headers.RetryAfter = "30";
                        await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status503ServiceUnavailable, "Sign-in is unavailable.",
                            "The planner cannot reach the identity provider to check your token. Try again shortly, or use an API key.");
                        return;
                    }

                    var failed = context.AuthenticateFailure is not null;
                    context.Response.Headers.WWWAuthenticate = failed ? "Bearer error=\"invalid_token\"" : "Bearer";
                    await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
                        failed
                            ? "The bearer token is not valid here: it is expired, not yet valid, wrongly signed, or issued by another identity provider or for another audience. Sign in again."
                            : "Send an API key or a signed-in user's token as 'Authorization: Bearer <token>'.");
                },
                OnForbidden = context => ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                    "Your account's planner role does not allow this request. Ask an administrator to map your identity provider role to one that does."),
            };
        });
        return services;
    }

    /// <summary>
    /// Whether a failure is the token's fault (401): refused by validation, or not a JWT at all although shaped like one
    /// (IdentityModel reports malformed tokens as <see cref="ArgumentException"/>s, such as SecurityTokenMalformedException,
    /// not as <see cref="SecurityTokenException"/>s). Anything else means the token could not be checked (503).
    /// </summary>
    internal static bool IsBadToken(Exception exception) =>
        exception is SecurityTokenException or ArgumentException or FormatException or System.Text.Json.JsonException;

    /// <summary>A JWT is three base64url parts separated by dots; an API key has no dots.</summary>
    public static bool LooksLikeJwt(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = authorization.AsSpan("Bearer ".Length).Trim();
        var parts = 0;
        var partLength = 0;
        foreach (var c in token)
        {
            if (c == '.')
            {
                if (partLength == 0)
                {
                    return false;
                }

                parts++;
                partLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                partLength++;
            }
            else
            {
                return false;
            }
        }

        return parts == 2 && partLength > 0;
    }

    /// <summary>
    /// The planner's own principal for a validated token: the user's name and subject, the planner roles their identity
    /// provider roles map to, and for a delegate the person they are. Null when the token names no subject.
    /// </summary>
    public static ClaimsPrincipal? ToPlannerPrincipal(ClaimsPrincipal token, OidcOptions oidc)
    {
        var subject = token.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }

        var claims = new List<Claim>
        {
            new(PlannerClaims.Subject, subject),
            new(ClaimTypes.Name, UserName(token, oidc, subject)),
        };
        claims.AddRange(MapRoles(token, oidc).Select(role => new Claim(ClaimTypes.Role, role)));
        if (oidc.PersonClaim is { Length: > 0 } personClaim && Guid.TryParse(token.FindFirst(personClaim)?.Value, out var personId))
        {
            claims.Add(new Claim(PlannerClaims.PersonId, personId.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, JwtScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>
    /// The planner roles a user's identity-provider roles map to, through <see cref="OidcOptions.RoleMap"/> only; a staff
    /// role outranks delegate (a delegate's restriction to themself would otherwise hide the programme from them).
    /// Shared by bearer tokens and web sign-in.
    /// </summary>
    public static IReadOnlyList<string> MapRoles(ClaimsPrincipal token, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(oidc);
        var roles = token.FindAll(oidc.RoleClaim)
            .Select(claim => oidc.RoleMap.TryGetValue(claim.Value, out var role) ? role : null)
            .OfType<string>()
            .Where(Roles.All.Contains)
            .ToHashSet(StringComparer.Ordinal);
        if (roles.Count > 1)
        {
            roles.Remove(Roles.Delegate);
        }

        return roles.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The user's name for the audit and logs: the configured claim, then <c>preferred_username</c>, then the subject.</summary>
    public static string UserName(ClaimsPrincipal token, OidcOptions oidc, string subject) =>
        token.FindFirst(oidc.NameClaim)?.Value ?? token.FindFirst("preferred_username")?.Value ?? subject;

    private static string SelectScheme(HttpContext context)
    {
        var oidc = context.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value;
        return oidc.Enabled && LooksLikeJwt(context.Request.Headers.Authorization) ? JwtScheme : ApiKeyAuthenticationHandler.SchemeName;
    }
}

/// <summary>Problem details written outside an endpoint (authentication, rate limiting).</summary>
internal static class ApiProblems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
