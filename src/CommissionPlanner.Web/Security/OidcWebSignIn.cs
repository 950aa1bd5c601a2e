using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using CommissionPlanner.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// Single sign-on for the web pages (docs/security.md): the OpenID Connect authorization code flow with PKCE, on when
/// <c>Planner:Oidc:Authority</c> and <c>Planner:Oidc:ClientId</c> are set. The browser ends up with the same session
/// cookie an API key gives, carrying the planner's own principal: roles through <see cref="OidcOptions.RoleMap"/>, and for a
/// delegate the one person whose e-mail address the ID token names. The provider is asked again every
/// <see cref="OidcOptions.SessionCheckInterval"/> (a refresh-token grant) whether the sign-in still stands.
/// </summary>
internal static partial class OidcWebSignIn
{
    public const string Scheme = "PlannerOidc";

    /// <summary>When the provider last confirmed the sign-in (Unix seconds), in the session's authentication properties.</summary>
    private const string CheckedAtItem = ".planner.oidc.checked";

    public static IServiceCollection AddPlannerOidcSignIn(this IServiceCollection services, string cookieScheme, IHostEnvironment environment)
    {
        // Registered always, and inert while web sign-in is off (OidcHandler): the settings are read at first use, so a host
        // built by a test can supply them late, and a planner without them never touches the network.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.AddAuthentication().AddRemoteScheme<OpenIdConnectOptions, OidcHandler>(Scheme, "Single sign-on", null);
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<OidcOptions>>((options, oidcOptions) =>
        {
            var oidc = oidcOptions.Value;
            options.SignInScheme = cookieScheme;
            options.SignOutScheme = cookieScheme;
            if (!oidc.WebSignInEnabled)
            {
                // Enough for the options to validate; OidcHandler handles no request and nothing challenges it.
                options.ClientId = "web-sign-in-off";
                options.Configuration = new OpenIdConnectConfiguration();
                return;
            }

            options.Authority = oidc.Authority;
            options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            options.ClientId = oidc.ClientId;
            options.ClientSecret = string.IsNullOrWhiteSpace(oidc.ClientSecret) ? null : oidc.ClientSecret;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            // The code comes back in the query of a top-level GET: the correlation and nonce cookies can then be SameSite=Lax
            // (a form_post answer is a cross-site POST, which only SameSite=None cookies survive).
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            var secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.CorrelationCookie.SecurePolicy = secure;
            options.NonceCookie.SecurePolicy = secure;
            options.Scope.Clear();
            foreach (var scope in oidc.Scopes())
            {
                options.Scope.Add(scope);
            }

            // Kept in the (encrypted) session cookie: the refresh token for the periodic check, the ID token for sign-out.
            options.SaveTokens = true;
            options.SignedOutRedirectUri = "/sign-in";
            // Roles and e-mail are read from the ID token; claims keep their own names, and count only through the role map.
            options.GetClaimsFromUserInfoEndpoint = false;
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = oidc.NameClaim;
            options.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
            options.Events = new OpenIdConnectEvents
            {
                OnTicketReceived = TicketReceivedAsync,
                OnRemoteFailure = context =>
                {
                    Log.RemoteFailure(Logger(context.HttpContext), context.Failure?.GetType().Name ?? "unknown", context.Failure?.Message ?? "");
                    context.Response.Redirect("/sign-in?error=provider");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
                OnRedirectToIdentityProviderForSignOut = SignOutAtProviderAsync,
            };
        });
        return services;
    }

    /// <summary>
    /// The session's principal, made when the provider sends the browser back: the planner's claims in place of the ID
    /// token's. Without a subject nobody is signed in.
    /// </summary>
    private static async Task TicketReceivedAsync(TicketReceivedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var oidc = services.GetRequiredService<IOptions<OidcOptions>>().Value;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var principal = await ToSessionPrincipalAsync(context.Principal!, oidc, services, time, context.HttpContext.RequestAborted);
        if (principal is null)
        {
            context.Fail("The identity provider's ID token names no subject ('sub').");
            return;
        }

        context.Principal = principal;
        context.Properties!.IsPersistent = false;
        context.Properties.AllowRefresh = true;
        context.Properties.Items[CheckedAtItem] = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The planner's principal for a signed-in user: subject, name, mapped roles, for a delegate their person, and the sign-in time.</summary>
    internal static async Task<ClaimsPrincipal?> ToSessionPrincipalAsync(
        ClaimsPrincipal token, OidcOptions oidc, IServiceProvider services, TimeProvider time, CancellationToken ct)
    {
        var subject = token.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }

        var roles = PlannerAuthentication.MapRoles(token, oidc);
        var claims = new List<Claim>
        {
            new(PlannerClaims.Subject, subject),
            new(ClaimTypes.Name, PlannerAuthentication.UserName(token, oidc, subject)),
            new(Sessions.SignedInAtClaim, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        if (roles.Contains(Roles.Delegate) && await PersonByEmailAsync(token, oidc, services, ct) is { } personId)
        {
            claims.Add(new Claim(PlannerClaims.PersonId, personId.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>
    /// The one person whose address the token names. None, several (the same address in two delegations or programmes), or
    /// an address the provider says it has not verified: no person, and the delegate sees nothing rather than someone else.
    /// </summary>
    private static async Task<Guid?> PersonByEmailAsync(ClaimsPrincipal token, OidcOptions oidc, IServiceProvider services, CancellationToken ct)
    {
        var email = token.FindFirst(oidc.EmailClaim)?.Value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email)
            || token.FindFirst("email_verified")?.Value is { } verified && !string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var factory = services.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        // Addresses are stored normalised (trimmed, lower case).
        var matches = await db.People.AsNoTracking().Where(p => p.Email == email).Select(p => p.Id).Take(2).ToListAsync(ct);
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>
    /// Whether a single sign-on session may go on (from <see cref="Sessions.ValidateAsync"/>, on every request). Within
    /// <see cref="OidcOptions.SessionCheckInterval"/> of the provider's last word it may; after that the provider is asked
    /// again with the session's refresh token: a sign-in revoked there (or a user removed) fails the grant and ends the
    /// session. A provider that cannot be asked ends it too: a session the provider cannot vouch for is not kept.
    /// Without a refresh token the session lasts as long as the access token issued with it.
    /// </summary>
    public static async Task<bool> StillSignedInAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var oidc = services.GetRequiredService<IOptions<OidcOptions>>().Value;
        if (!oidc.WebSignInEnabled)
        {
            return false;
        }

        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var properties = context.Properties;
        if (properties.Items.TryGetValue(CheckedAtItem, out var checkedText)
            && long.TryParse(checkedText, NumberStyles.None, CultureInfo.InvariantCulture, out var checkedAt)
            && now - DateTimeOffset.FromUnixTimeSeconds(checkedAt) < oidc.SessionCheckInterval)
        {
            return true;
        }

        var refreshToken = properties.GetTokenValue(OpenIdConnectParameterNames.RefreshToken);
        if (string.IsNullOrEmpty(refreshToken))
        {
            return DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
                && now < expires;
        }

        var options = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(Scheme);
        var logger = Logger(http);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
            var form = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [OpenIdConnectParameterNames.GrantType] = OpenIdConnectGrantTypes.RefreshToken,
                [OpenIdConnectParameterNames.RefreshToken] = refreshToken,
                [OpenIdConnectParameterNames.ClientId] = options.ClientId!,
            };
            if (options.ClientSecret is { } secret)
            {
                form[OpenIdConnectParameterNames.ClientSecret] = secret;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
            using var response = await options.Backchannel.SendAsync(request, http.RequestAborted);
            if (!response.IsSuccessStatusCode)
            {
                // invalid_grant: revoked at the provider, expired, or the user is gone. The answer's body is not logged.
                Log.SessionRefused(logger, context.Principal?.Subject() ?? "", (int)response.StatusCode);
                return false;
            }

            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(http.RequestAborted), cancellationToken: http.RequestAborted);
            var root = body.RootElement;
            foreach (var name in (string[])[OpenIdConnectParameterNames.AccessToken, OpenIdConnectParameterNames.RefreshToken, OpenIdConnectParameterNames.IdToken])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    SetToken(properties, name, value.GetString()!);
                }
            }

            if (root.TryGetProperty(OpenIdConnectParameterNames.ExpiresIn, out var expiresIn) && expiresIn.TryGetInt32(out var seconds))
            {
                SetToken(properties, "expires_at", now.AddSeconds(seconds).ToString("o", CultureInfo.InvariantCulture));
            }

            properties.Items[CheckedAtItem] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            context.ShouldRenew = true;
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or IOException
                                       || ex is TaskCanceledException && !http.RequestAborted.IsCancellationRequested)
        {
            Log.SessionUncheckable(logger, context.Principal?.Subject() ?? "", ex.GetType().Name);
            return false;
        }
    }

    private static void SetToken(AuthenticationProperties properties, string name, string value)
    {
        if (!properties.UpdateTokenValue(name, value))
        {
            var tokens = properties.GetTokens().ToList();
            tokens.Add(new AuthenticationToken { Name = name, Value = value });
            properties.StoreTokens(tokens);
        }
    }

    /// <summary>
    /// Whether signing out should also end the sign-in at the provider: a single sign-on session, and a provider whose
    /// discovery document names an end-session endpoint (not every provider has one).
    /// </summary>
    public static async Task<bool> ProviderSignsOutAsync(HttpContext http)
    {
        var oidc = http.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value;
        if (!oidc.WebSignInEnabled || http.User.Subject() is null)
        {
            return false;
        }

        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(Scheme);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
            return !string.IsNullOrEmpty(configuration.EndSessionEndpoint);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException)
        {
            // The provider cannot be reached: signed out here all the same.
            Log.SessionUncheckable(Logger(http), http.User.Subject() ?? "", ex.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// The way to the provider's end-session endpoint, as a page that moves on by itself rather than a redirect: the sign-out
    /// form's page allows forms to post only to the planner (CSP <c>form-action 'self'</c>), which browsers apply to the
    /// redirect after the post as well.
    /// </summary>
    private static async Task SignOutAtProviderAsync(RedirectContext context)
    {
        context.HandleResponse();
        // The handler would add the state after this event; handled here, the state (where to go afterwards) is added here.
        context.ProtocolMessage.State = context.Options.StateDataFormat.Protect(context.Properties);
        var url = HtmlEncoder.Default.Encode(context.ProtocolMessage.CreateLogoutRequestUrl());
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        var provider = HtmlEncoder.Default.Encode(context.HttpContext.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value.ProviderName);
        await response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
            $"<meta http-equiv=\"refresh\" content=\"0;url={url}\"><title>Signing out · Commission Planner</title>" +
            "<link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><main id=\"main\"><h1>Signed out of the planner</h1>" +
            $"<p>Now signing you out of {provider}… <a id=\"provider-sign-out\" href=\"{url}\">Continue</a></p></main></body></html>",
            context.HttpContext.RequestAborted);
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CommissionPlanner.Web.Security.OidcWebSignIn");

    /// <summary>The OpenID Connect handler, answering nothing (its callback paths included) while web sign-in is off.</summary>
    private sealed class OidcHandler(IOptionsMonitor<OpenIdConnectOptions> options, ILoggerFactory logger, HtmlEncoder html, UrlEncoder url)
        : OpenIdConnectHandler(options, logger, html, url)
    {
        public override async Task<bool> ShouldHandleRequestAsync() =>
            Context.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value.WebSignInEnabled && await base.ShouldHandleRequestAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on did not complete: {Failure}: {Detail}")]
        public static partial void RemoteFailure(ILogger logger, string failure, string detail);

        [LoggerMessage(Level = LogLevel.Information, Message = "The identity provider no longer vouches for user {Subject} (token endpoint answered {Status}): session ended")]
        public static partial void SessionRefused(ILogger logger, string subject, int status);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The identity provider could not be asked about user {Subject} ({Error}): session ended")]
        public static partial void SessionUncheckable(ILogger logger, string subject, string error);
    }
}
