using System.Security.Claims;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// The server-rendered web interface (docs/web-ui.md): Razor Pages under <c>Pages/</c>, static files from <c>wwwroot/</c>,
/// signed in with a cookie made from an API key. The cookie is accepted on page routes only (their policies name
/// <see cref="PagesScheme"/>); <c>/api</c> keeps its bearer-only default scheme, so no API request can be forged cross-site.
/// </summary>
internal static class UiHosting
{
    /// <summary>The cookie a signed-in browser carries: secure, HttpOnly, SameSite=Strict.</summary>
    public const string CookieScheme = "PlannerCookie";

    /// <summary>Pages: a request with an Authorization header is checked like an API call, otherwise by the cookie.</summary>
    public const string PagesScheme = "PlannerPages";

    public const string CookieName = "planner.session";

    public static IServiceCollection AddPlannerUi(this IServiceCollection services, IHostEnvironment environment)
    {
        // Every text a person reads comes from Resources/ in their language (UiLanguages, docs/languages.md).
        services.AddRazorPages(options => options.RootDirectory = "/Pages").AddViewLocalization();
        services.AddPlannerLanguages();
        // Names in Chinese (and every other script) are written as themselves, not as character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "planner.antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            antiforgery.FormFieldName = "__RequestVerificationToken";
        });
        services.AddSingleton<ImportJobs>();
        services.AddAuthentication()
            .AddPolicyScheme(PagesScheme, "Planner web interface", policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? PlannerAuthentication.SchemeName : CookieScheme)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                // Always Secure outside Development; in Development the local http://127.0.0.1 of run.sh and the tests must work.
                cookie.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                // Idle timeout (sliding) and absolute lifetime: Planner:Sessions (Security/Sessions.cs).
                cookie.LoginPath = "/sign-in";
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.Events = new CookieAuthenticationEvents
                {
                    // Browsers go to the sign-in page; anything else (scripts, tests without Accept: text/html) gets a plain 401.
                    OnRedirectToLogin = context => RedirectOr(context, StatusCodes.Status401Unauthorized),
                    // A role without access: the 403 page in place (no redirect, so the status stays 403).
                    OnRedirectToAccessDenied = context => WriteForbiddenAsync(context.HttpContext),
                    // A revoked key, a changed bootstrap key or the absolute lifetime ends the session at the next request.
                    OnValidatePrincipal = Sessions.ValidateAsync,
                    // The language the person chose last time, in this browser too.
                    OnSignedIn = RestoreLanguageAsync,
                };
            });
        services.AddPlannerSessions(CookieScheme);
        // Single sign-on with the ministry's identity provider, when Planner:Oidc:ClientId is set (docs/security.md).
        services.AddPlannerOidcSignIn(CookieScheme, environment);
        return services;
    }

    /// <summary>Static files (CSS), before authentication: they hold nothing private.</summary>
    /// <summary>The site's CSS and images; not looked up for calendar polls, the planner's most frequent requests.</summary>
    public static IApplicationBuilder UsePlannerUiStaticFiles(this IApplicationBuilder app) =>
        app.UseWhen(http => !Feeds.FeedsApi.IsPoll(http.Request.Path), branch => branch.UseStaticFiles());

    public static IEndpointRouteBuilder MapPlannerUi(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>Signs the browser in with the key's principal (the same claims as a bearer request), as a cookie.</summary>
    public static Task SignInAsync(HttpContext http, ApiKeyIdentity key, string secret)
    {
        ArgumentNullException.ThrowIfNull(http);
        var principal = Sessions.Principal(key, secret, CookieScheme, http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System);
        return http.SignInAsync(CookieScheme, principal, new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
    }

    /// <summary>The 403 page, in the reader's language: plain HTML with the site's stylesheet (no layout: it is written outside any page).</summary>
    public static string ForbiddenHtml()
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        string T(Microsoft.Extensions.Localization.LocalizedString text) => encoder.Encode(text.Value);
        return "<!DOCTYPE html><html lang=\"" + UiLanguages.HtmlLang + "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            "<title>" + T(L["Not allowed"]) + " · " + T(L["Commission Planner"]) + "</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head><body>" +
            "<header class=\"site-header\"><a class=\"brand\" href=\"/\">" + T(L["Commission Planner"]) + "</a></header><main id=\"main\">" +
            "<h1>" + T(L["You may not do that"]) + "</h1><p>" + T(L["Your role does not allow this page or action. If you need it, ask a planner administrator for a key with the right role."]) + "</p>" +
            "<p><a href=\"/\">" + T(L["Back to the start page"]) + "</a> · <a href=\"/sign-in\">" + T(L["Sign in with another key"]) + "</a></p></main></body></html>";
    }

    private static readonly Microsoft.Extensions.Localization.IStringLocalizer L = Localised.For(typeof(UiHosting));

    public static Task WriteForbiddenAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        if (!IsBrowser(http.Request))
        {
            return Task.CompletedTask;
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(ForbiddenHtml(), http.RequestAborted);
    }

    public static bool IsBrowser(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static async Task RestoreLanguageAsync(CookieSignedInContext context)
    {
        if (UiLanguages.HolderOf(context.Principal!) is not { } holder)
        {
            return;
        }

        var factory = context.HttpContext.RequestServices.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<CommissionPlanner.Data.PlannerDbContext>>();
        await using var db = await factory.CreateDbContextAsync(context.HttpContext.RequestAborted);
        if (await UiLanguages.KeptAsync(db, holder, context.HttpContext.RequestAborted) is { } kept)
        {
            UiLanguages.WriteCookie(context.Response, kept);
        }
    }

    private static Task RedirectOr(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsBrowser(context.Request) && context.Request.Method is "GET" or "HEAD")
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}

/// <summary>Page authorisation: the API's policies, checked against the cookie (or a bearer header).</summary>
internal sealed class PageAuthorizeAttribute : AuthorizeAttribute
{
    public PageAuthorizeAttribute(string policy) : base(policy) => AuthenticationSchemes = UiHosting.PagesScheme;
}

internal static class UserExtensions
{
    public static bool IsPlanner(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Organiser);
}
