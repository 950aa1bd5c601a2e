using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CommissionPlanner.Web.Tests.Security.Oidc;

/// <summary>A user of the test identity provider: the roles (groups) and e-mail address it vouches for.</summary>
public sealed record IdpUser(string Subject, string UserName, string Password, string Name, string Email, IReadOnlyList<string> Roles);

/// <summary>
/// A real OpenID provider for the single sign-on tests, built on OpenIddict (server and core, with its Entity Framework
/// Core stores on a PostgreSQL database of its own), on a loopback port: discovery, signing keys, the authorization code
/// flow with PKCE, refresh tokens, end-session, a login form backed by a small user store, and sessions it can revoke.
/// It runs on 127.0.0.1 while the planner runs on localhost, so the browser goes between two sites, as it would between a
/// ministry's provider and the planner.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "commission-planner-web";
    public const string ClientSecret = "test-client-secret-5c1d0e2b7f";
    private const string LoginCookie = "idp-login";
    private const string SessionClaim = "idp_session";

    private readonly WebApplication app;
    private readonly IReadOnlyDictionary<string, IdpUser> usersByName;

    /// <summary>Live login sessions at the provider (session id → subject); a revoked one no longer signs anyone in.</summary>
    private readonly ConcurrentDictionary<string, string> sessions = new(StringComparer.Ordinal);

    private TestIdentityProvider(WebApplication app, Uri issuer, IReadOnlyDictionary<string, IdpUser> usersByName)
    {
        this.app = app;
        Issuer = issuer;
        this.usersByName = usersByName;
    }

    public Uri Issuer { get; }

    /// <summary>How many requests reached the token endpoint (codes redeemed, and the planner's periodic refresh-token checks).</summary>
    public int TokenRequests => tokenRequests;

    private int tokenRequests;

    public static async Task<TestIdentityProvider> StartAsync(Uri planner, IReadOnlyList<IdpUser> users)
    {
        var connectionString = await TestDatabase.CreateAsync("idp");
        var port = TestDatabase.FreePort();
        var issuer = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseUrls(issuer.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<IdpDbContext>(options =>
        {
            options.UseNpgsql(connectionString);
            options.UseOpenIddict();
        });
        TestIdentityProvider? provider = null;
        builder.Services.AddAuthentication(LoginCookie).AddCookie(LoginCookie, cookie =>
        {
            cookie.Cookie.Name = "idp.login";
            cookie.LoginPath = "/login";
            // A login session revoked here stops signing the browser in at once.
            cookie.Events.OnValidatePrincipal = context =>
            {
                var session = context.Principal?.FindFirstValue(SessionClaim);
                if (session is null || provider is null || !provider.sessions.ContainsKey(session))
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdpDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(issuer);
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession");
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                server.RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.Email, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess);
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
            });

        var app = builder.Build();
        provider = new TestIdentityProvider(app, issuer, users.ToDictionary(u => u.UserName, StringComparer.Ordinal));
        // Counted before OpenIddict, which answers a revoked refresh token itself.
        app.Use((http, next) =>
        {
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path == "/connect/token")
            {
                Interlocked.Increment(ref provider.tokenRequests);
            }

            return next(http);
        });
        app.UseAuthentication();
        provider.MapEndpoints(app);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IdpDbContext>().Database.EnsureCreatedAsync();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                ConsentType = ConsentTypes.Implicit,
                DisplayName = "Commission Planner",
                RedirectUris = { new Uri(planner, "/signin-oidc") },
                PostLogoutRedirectUris = { new Uri(planner, "/signout-callback-oidc") },
                Permissions =
                {
                    Permissions.Endpoints.Authorization,
                    Permissions.Endpoints.Token,
                    Permissions.Endpoints.EndSession,
                    Permissions.GrantTypes.AuthorizationCode,
                    Permissions.GrantTypes.RefreshToken,
                    Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Email,
                    Permissions.Scopes.Profile,
                    Permissions.Scopes.Roles,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
        }

        await app.StartAsync();
        return provider;
    }

    /// <summary>
    /// Revokes everything the provider gave the user: their login sessions here, their authorizations and every token
    /// (refresh tokens included), as an administrator does when an account is compromised or a person leaves.
    /// </summary>
    public async Task RevokeAsync(string subject)
    {
        foreach (var (session, owner) in sessions)
        {
            if (owner == subject)
            {
                sessions.TryRemove(session, out _);
            }
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().RevokeBySubjectAsync(subject);
        await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().RevokeBySubjectAsync(subject);
    }

    /// <summary>Takes the provider off the network, as an outage would; nothing answers on its port afterwards.</summary>
    public async Task StopAsync()
    {
        if (!stopped)
        {
            stopped = true;
            await app.StopAsync();
        }
    }

    private bool stopped;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }

    private void MapEndpoints(WebApplication endpoints)
    {
        endpoints.MapGet("/login", (HttpContext http) => LoginPage(http.Request.Query["ReturnUrl"], problem: null));
        endpoints.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var returnUrl = form["ReturnUrl"].ToString();
            if (!usersByName.TryGetValue(form["username"].ToString(), out var user) || user.Password != form["password"].ToString())
            {
                return LoginPage(returnUrl, "Unknown user name or wrong password.");
            }

            var session = Guid.NewGuid().ToString("N");
            sessions[session] = user.Subject;
            var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.Subject), new Claim(SessionClaim, session)], LoginCookie);
            await http.SignInAsync(LoginCookie, new ClaimsPrincipal(identity));
            // Only back into this provider's own authorization endpoint.
            return Results.Redirect(returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/");
        });

        endpoints.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            var login = await http.AuthenticateAsync(LoginCookie);
            if (!login.Succeeded || UserBySubject(login.Principal.FindFirstValue(Claims.Subject)) is not { } user)
            {
                return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.Path + http.Request.QueryString }, [LoginCookie]);
            }

            var identity = Identity(user);
            identity.SetScopes(request.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });

        endpoints.MapPost("/connect/token", async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            // OpenIddict has already checked the code or refresh token, its authorization and that neither was revoked.
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (UserBySubject(result.Principal?.FindFirstValue(Claims.Subject)) is not { } user)
            {
                return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user no longer exists.",
                }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            var identity = Identity(user);
            identity.SetScopes(result.Principal!.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });

        endpoints.MapMethods("/connect/endsession", ["GET", "POST"], async (HttpContext http) =>
        {
            var login = await http.AuthenticateAsync(LoginCookie);
            if (login.Principal?.FindFirstValue(SessionClaim) is { } session)
            {
                sessions.TryRemove(session, out _);
            }

            await http.SignOutAsync(LoginCookie);
            // Back to the client's post_logout_redirect_uri, which OpenIddict has checked against its registration.
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
    }

    private IdpUser? UserBySubject(string? subject) => usersByName.Values.FirstOrDefault(u => u.Subject == subject);

    /// <summary>What the provider says of a user, in the ID token and the access token.</summary>
    private static ClaimsIdentity Identity(IdpUser user)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(Claims.Email, user.Email)
            .SetClaims(Claims.Role, [.. user.Roles]);
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return identity;
    }

    private static IResult LoginPage(string? returnUrl, string? problem)
    {
        var encoded = WebUtility.HtmlEncode(returnUrl ?? "/");
        var alert = problem is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(problem)}</p>";
        return Results.Content(
            $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ministry sign-in</title></head><body>
            <h1>Ministry sign-in</h1>{alert}
            <form method="post" action="/login">
              <input type="hidden" name="ReturnUrl" value="{encoded}">
              <label for="username">User name</label> <input id="username" name="username" autocomplete="username">
              <label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
              <button type="submit">Log in</button>
            </form></body></html>
            """,
            "text/html; charset=utf-8",
            statusCode: problem is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }
}

/// <summary>OpenIddict's applications, authorizations, scopes and tokens (its Entity Framework Core model).</summary>
public sealed class IdpDbContext(DbContextOptions<IdpDbContext> options) : DbContext(options);
