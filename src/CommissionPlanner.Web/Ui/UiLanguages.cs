using System.Globalization;
using System.Security.Claims;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using NodaTime;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// The languages of the web pages (docs/languages.md): English and Simplified Chinese. A page's language is the one the
/// person chose with the switch (kept in a cookie, and for a signed-in person in <c>language_choices</c>, so it follows
/// them to another browser), else the first of their browser's Accept-Language the planner speaks, else English.
/// </summary>
/// <remarks>
/// Texts live in resource files under <c>Resources/</c>, one per page or class, keyed by the English text itself
/// (ASP.NET Core's convention): English needs no file, and a missing Chinese entry shows English, which the resource
/// completeness test (ResourceCompletenessTests) refuses.
/// </remarks>
public static class UiLanguages
{
    public const string English = "en";
    public const string Chinese = "zh";

    /// <summary>The switch's cookie: ASP.NET Core's culture cookie format, one year.</summary>
    public const string CookieName = "planner.language";

    /// <summary>Dates and numbers: British English and mainland Chinese conventions.</summary>
    public static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo("en-GB");
    public static readonly CultureInfo ChineseCulture = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>Texts: the neutral resources (English) and the <c>.zh-Hans.resx</c> files.</summary>
    public static readonly CultureInfo EnglishTexts = CultureInfo.GetCultureInfo("en-GB");
    public static readonly CultureInfo ChineseTexts = CultureInfo.GetCultureInfo("zh-Hans");

    /// <summary>A language code from the switch or a cookie: <c>en</c> or <c>zh</c>; null for anything else.</summary>
    public static string? Normalise(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }

        var primary = language.Trim().Split('-', '_')[0];
        return primary.ToLowerInvariant() switch
        {
            "en" => English,
            "zh" => Chinese,
            _ => null,
        };
    }

    /// <summary>
    /// The first language of an Accept-Language header (by quality, then order) that the pages speak; null when none is.
    /// Any Chinese tag chooses Chinese: the pages' Simplified Chinese serves a zh-TW reader better than English does.
    /// </summary>
    public static string? FromAcceptLanguage(StringValues header)
    {
        if (!StringWithQualityHeaderValue.TryParseList(header, out var values))
        {
            return null;
        }

        foreach (var value in values.Where(v => (v.Quality ?? 1) > 0).OrderByDescending(v => v.Quality ?? 1))
        {
            if (Normalise(value.Value.Value) is { } language)
            {
                return language;
            }
        }

        return null;
    }

    /// <summary>Who keeps a choice: the key, the single sign-on subject, or the bootstrap key; null when anonymous.</summary>
    public static string? HolderOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (user.KeyId() is { } key)
        {
            return $"key:{key}";
        }

        return user.Subject() is { } subject ? $"user:{subject}" : "bootstrap";
    }

    public static RequestCulture CultureOf(string language) => language == Chinese
        ? new RequestCulture(ChineseCulture, ChineseTexts)
        : new RequestCulture(EnglishCulture, EnglishTexts);

    /// <summary>The language of the page being written (from the request's UI culture).</summary>
    public static string Current => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == Chinese ? Chinese : English;

    /// <summary>The value of <c>&lt;html lang&gt;</c>.</summary>
    public static string HtmlLang => Current == Chinese ? "zh-Hans" : "en";

    public static string CookieValue(string language) =>
        CookieRequestCultureProvider.MakeCookieValue(CultureOf(language));

    public static void WriteCookie(HttpResponse response, string language)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(CookieName, CookieValue(language), new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            HttpOnly = true,
            IsEssential = true,
            SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax,
            Secure = response.HttpContext.Request.IsHttps,
        });
    }

    /// <summary>Keeps the signed-in person's choice (one row per holder, replaced).</summary>
    public static async Task KeepAsync(PlannerDbContext db, string holder, string language, Instant now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            insert into language_choices (holder, language, chosen_at) values ({holder}, {language}, {now})
            on conflict (holder) do update set language = excluded.language, chosen_at = excluded.chosen_at
            """, ct);
    }

    public static async Task<string?> KeptAsync(PlannerDbContext db, string holder, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.LanguageChoices.AsNoTracking().Where(c => c.Holder == holder).Select(c => c.Language).FirstOrDefaultAsync(ct);
    }

    public static IServiceCollection AddPlannerLanguages(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = CultureOf(English);
            options.SupportedCultures = [EnglishCulture, ChineseCulture];
            options.SupportedUICultures = [EnglishTexts, ChineseTexts];
            options.RequestCultureProviders = [new ChosenLanguageProvider()];
            // Content-Language on every localised answer, so caches and readers know which one they got.
            options.ApplyCurrentCultureToResponseHeaders = true;
        });
        return services;
    }

    /// <summary>
    /// The request's language: for pages and the API's problem details. Feeds are left out: a feed's language is its own
    /// (FeedRecord.Language), and their hot path should not parse headers it does not use.
    /// </summary>
    public static IApplicationBuilder UsePlannerLanguages(this IApplicationBuilder app) =>
        app.UseWhen(http => !Feeds.FeedsApi.IsPoll(http.Request.Path), branch => branch.UseRequestLocalization());

    /// <summary>Cookie first (the switch), then Accept-Language; nothing (the default, English) otherwise.</summary>
    private sealed class ChosenLanguageProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var chosen = httpContext.Request.Cookies.TryGetValue(CookieName, out var cookie)
                ? Normalise(CookieRequestCultureProvider.ParseCookieValue(cookie)?.UICultures.FirstOrDefault().Value)
                : null;
            var language = chosen ?? FromAcceptLanguage(httpContext.Request.Headers.AcceptLanguage);
            if (language is null)
            {
                return NullProviderCultureResult;
            }

            var culture = CultureOf(language);
            return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(culture.Culture.Name, culture.UICulture.Name));
        }
    }
}

/// <summary>
/// Localisers for classes that are not built by dependency injection (static helpers such as <see cref="Display"/>): the
/// same resource files and lookup as <c>IStringLocalizer&lt;T&gt;</c>, for the request's UI culture.
/// </summary>
public static class Localised
{
    private static readonly ResourceManagerStringLocalizerFactory Factory = new(
        Microsoft.Extensions.Options.Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }),
        Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

    public static IStringLocalizer For(Type type) => Factory.Create(type);
}

