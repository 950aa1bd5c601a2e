using System.Net;
using CommissionPlanner.Data;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Orleans.Configuration;

namespace CommissionPlanner.Web.Hosting;

public static class HostingExtensions
{
    /// <summary>EF Core on PostgreSQL, the clock, and the domain's time-zone source.</summary>
    public static IHostApplicationBuilder AddPlannerPersistence(this IHostApplicationBuilder builder)
    {
        // Read lazily, at first use, so that hosts built by tests can supply the connection string late. The container
        // owns the data source: its connections close when the host stops.
        builder.Services.AddSingleton(services =>
            PlannerDatabase.CreateDataSource(services.GetRequiredService<IConfiguration>().GetConnectionString("Planner")!));
        builder.Services.AddPooledDbContextFactory<PlannerDbContext>((services, options) =>
            options.UsePlannerDatabase(services.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddHostedService<PooledConnectionsClosing>();
        // After DatabaseStartup, so that it folds into a migrated schema.
        builder.Services.AddHostedService<CommissionPlanner.Web.Feeds.ChangeStampFolder>();
        builder.Services.AddHostedService<CommissionPlanner.Web.Operations.IdempotencySweeper>();
        // After DatabaseStartup, before the server listens: the first conflict list after a start costs what later ones do.
        builder.Services.AddHostedService<ConflictsWarmUp>();
        // Likewise for the first feed after a start.
        builder.Services.AddHostedService<CommissionPlanner.Web.Feeds.FeedWarmUp>();
        builder.Services.AddHostedService<CommissionPlanner.Web.Feeds.FeedRenderAhead>();
        // E-mail notifications (docs/notifications.md): every silo composes and delivers from the PostgreSQL outbox.
        builder.Services.AddOptions<CommissionPlanner.Web.Notifications.MailSettings>()
            .BindConfiguration(CommissionPlanner.Web.Notifications.MailSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CommissionPlanner.Web.Notifications.NotificationOutbox>();
        builder.Services.AddSingleton<CommissionPlanner.Web.Notifications.NotificationQueries>();
        builder.Services.AddHostedService<CommissionPlanner.Web.Notifications.NotificationSender>();
        // Data-protection keys (sign-in cookies, antiforgery) in PostgreSQL: a form served by one silo verifies on another.
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<PlannerDbContext>>().CreateDbContext());
        builder.Services.AddDataProtection().SetApplicationName("commission-planner").PersistKeysToDbContext<PlannerDbContext>();
        builder.Services.AddSingleton<PlanningQueries>();
        builder.Services.AddSingleton<LogisticsQueries>();
        builder.Services.AddSingleton<ItineraryViews>();
        builder.Services.AddSingleton<IItineraryRenderer, ItineraryRenderer>();
        builder.Services.AddOptions<ItineraryOptions>().BindConfiguration(ItineraryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // One per silo: its itinerary grains' comparisons with the database, batched, off their request path.
        builder.Services.AddSingleton<ItineraryRevisionChecks>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ItineraryRevisionChecks>());
        TravelSettings.AddTravelRule(builder.Services);
        builder.Services.AddSingleton<IClock>(NodaTime.SystemClock.Instance);
        builder.Services.AddSingleton(DateTimeZoneProviders.Tzdb);
        return builder;
    }

    /// <summary>The Orleans silo, in this process, clustered with its peers through PostgreSQL.</summary>
    public static IHostApplicationBuilder AddPlannerSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.UseOrleans(orleans =>
        {
            orleans.Services.AddPlannerGrainSerialization();
            // Options resolve from configuration when the silo starts, not when the host is built.
            orleans.UseAdoNetClustering(options => options.Configure<IConfiguration>((clustering, configuration) =>
            {
                clustering.Invariant = "Npgsql";
                clustering.ConnectionString = configuration.GetConnectionString("Planner");
            }));
            orleans.Services.AddOptions<ClusterOptions>().Configure<IOptions<SiloOptions>>((cluster, silo) =>
            {
                cluster.ClusterId = silo.Value.ClusterId;
                cluster.ServiceId = silo.Value.ServiceId;
            });
            orleans.Services.AddOptions<EndpointOptions>().Configure<IOptions<SiloOptions>>((endpoints, silo) =>
            {
                var address = IPAddress.Parse(silo.Value.AdvertisedAddress);
                endpoints.AdvertisedIPAddress = address;
                endpoints.SiloPort = silo.Value.SiloPort;
                endpoints.GatewayPort = silo.Value.GatewayPort;
                endpoints.SiloListeningEndpoint = new IPEndPoint(address, silo.Value.SiloPort);
                endpoints.GatewayListeningEndpoint = silo.Value.GatewayPort == 0 ? null : new IPEndPoint(address, silo.Value.GatewayPort);
            });
        });
        return builder;
    }

    /// <summary>API keys, role policies, problem details, JSON settings, OpenAPI and health checks.</summary>
    public static IHostApplicationBuilder AddPlannerApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PlannerOptions>().BindConfiguration(PlannerOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // API keys, and OpenID Connect bearer tokens when Planner:Oidc:Authority is set (docs/security.md).
        services.AddPlannerAuthentication();
        // Every route names its policy (or AllowAnonymous); the authorisation matrix test fails on one that does not.
        services.AddAuthorizationBuilder()
            // Secure by default all the same: a route without its own policy still needs a valid key.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Plan, p => p.RequireRole(Roles.Admin, Roles.Organiser))
            .AddPolicy(Policies.ReadProgramme, p => p.RequireRole(Roles.Admin, Roles.Organiser, Roles.Reviewer, Roles.Viewer))
            .AddPolicy(Policies.Review, p => p.RequireRole(Roles.Reviewer))
            .AddPolicy(Policies.PlanOrSelf, p => p.RequireRole(Roles.Admin, Roles.Organiser, Roles.Delegate))
            .AddPolicy(Policies.AnyRole, p => p.RequireRole(Roles.Admin, Roles.Organiser, Roles.Reviewer, Roles.Delegate, Roles.Viewer));
        // Per key on /api, per token on /feeds and /reply: 429 with Retry-After (Planner:RateLimits).
        services.AddPlannerRateLimiting();
        // Sent outside Development only (Program.cs), on HTTPS requests: a year, subdomains included.
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
        });

        // Bodies beyond 1 MB are refused with 413 (the programme import allows more on its own endpoint).
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = FinishProblem);
        services.AddSingleton<IProblemDetailsWriter, FallbackProblemDetailsWriter>();
        services.AddExceptionHandler<PlannerExceptionHandler>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
            json.SerializerOptions.AllowTrailingCommas = false;
            // Names in Chinese (and every other script) are written as themselves, not as \u escapes;
            // characters that matter to HTML stay escaped.
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });
        services.AddOpenApi(options => options.AddOperationTransformer(Operations.IdempotencyOpenApi.DescribeHeader));

        // "ready": can take writes (the database answers); "feeds": can serve calendars, which it can from memory while
        // the database is unreachable (docs/operations.md, "Readiness").
        services.AddHealthChecks()
            .AddDbContextCheck<PlannerDbContext>("database", tags: ["ready"])
            .AddCheck<SiloActiveHealthCheck>("silo", tags: ["ready", "feeds"]);
        return builder;
    }

    /// <summary>
    /// What every problem answer gets, whichever writer writes it (the default JSON one or FallbackProblemDetailsWriter).
    /// </summary>
    internal static void FinishProblem(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        // A problem's instance may name the request; a feed or reply-link path is a secret (docs/security.md).
        if (problem.Instance is { } instance)
        {
            problem.Instance = SecretPaths.Redact(instance);
        }

        // Title, detail and field messages in the reader's language (Accept-Language, or the pages' language switch).
        problem.Title = Ui.Messages.Translate(problem.Title);
        problem.Detail = Ui.Messages.Translate(problem.Detail);
        if (problem is HttpValidationProblemDetails validation)
        {
            foreach (var field in validation.Errors.Keys.ToList())
            {
                validation.Errors[field] = validation.Errors[field].Select(m => Ui.Messages.Translate(m)!).ToArray();
            }
        }
    }
}
