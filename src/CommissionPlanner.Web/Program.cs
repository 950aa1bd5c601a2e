using CommissionPlanner.Data;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Feeds;
using CommissionPlanner.Web.Hosting;
using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Operations;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;

// Background (concurrent) gen2 collections only, unless memory runs low: with a heap of about 1 GB (the scale test's
// 20,000 itineraries) the collector otherwise chose a blocking gen2 now and then, a pause of 0.3 s in which no poll was
// answered (dotnet-counters, docs/performance.md, 28th session).
System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;

var builder = WebApplication.CreateBuilder(args);

if (StartupChecks.CheckConfiguration(builder.Configuration, builder.Environment) is { } configurationProblem)
{
    await Console.Error.WriteLineAsync($"CommissionPlanner cannot start: {configurationProblem}");
    return 2;
}

builder.AddPlannerPersistence();
builder.AddPlannerSilo();
builder.AddPlannerApi();
// Cluster operations: membership timing, graceful shutdown, telemetry, Kubernetes (docs/operations.md).
builder.AddPlannerOperations();
builder.Services.AddFeeds();
builder.Services.AddImportExport();
builder.Services.AddLists();
builder.Services.AddPlannerCommands();
builder.Services.AddWriteAdmission();
// Web interface (issue 7, docs/web-ui.md): Razor Pages with cookie sign-in on page routes only.
builder.Services.AddPlannerUi(builder.Environment);

var app = builder.Build();

if (args.Contains("--migrate-only"))
{
    // The production deploy step: bring the schema up to date, then exit; started with the database, it waits as a silo does.
    try
    {
        var waitSeconds = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OperationsOptions>>().Value.DatabaseWaitSeconds;
        await DatabaseStartup.WaitForDatabaseAsync(app.Configuration, waitSeconds, app.Logger, CancellationToken.None);
        await DatabaseStartup.MigrateAsync(app.Services.GetRequiredService<IDbContextFactory<PlannerDbContext>>(), CancellationToken.None);
    }
    catch (StartupException ex)
    {
        await Console.Error.WriteLineAsync($"CommissionPlanner cannot migrate: {ex.Message}");
        return 3;
    }

    app.Logger.LogInformation("Database schema is up to date.");
    return 0;
}

// Building the pipeline reads settings (forwarded headers): a bad one is reported like any other start-up problem.
try
{
    // The client's address and scheme from a configured proxy's X-Forwarded-* headers (Planner:ForwardedHeaders), before
    // anything reads them.
    app.UsePlannerForwardedHeaders();
    // Then, so that every response carries them, errors and rejections included (docs/security.md).
    app.UseSecurityHeaders();
    if (!app.Environment.IsDevelopment())
    {
        app.UseHsts();
    }

    // The reader's language (pages, problem details), before anything writes an answer they read.
    app.UsePlannerLanguages();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    // Web interface: CSS served before authentication (nothing private in it).
    app.UsePlannerUiStaticFiles();
    // Before authentication: per client address, and refused once an address has had too many failed key and token look-ups.
    app.UseClientAddressLimits();
    // Routing here rather than first: the endpoints it short-circuits, calendar polls (FeedsApi), are answered at this
    // point, after everything above and before authentication and everything below, which they do not use.
    app.UseRouting();
    app.UseAuthentication();
    // After authentication: /api is limited per key or user; /feeds and /reply per token; pages, sign-in and health too.
    app.UseRateLimiter();
    app.UseAuthorization();
    // Changes are admitted a few at a time, oldest first; reads never wait here (WriteAdmission, docs/performance.md).
    app.UseWriteAdmission();
    // A POST under /api with an Idempotency-Key: claimed, applied once, answered again on a repeat (docs/idempotency.md).
    app.UseMiddleware<IdempotencyMiddleware>();
    // Whoever this request is makes its changes: grains read it from Orleans' RequestContext for the audit trail.
    app.Use((http, next) =>
    {
        CallerContext.Set(http.ToChangeActor());
        return next(http);
    });

    app.MapOpenApi().AllowAnonymous();
    app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
    app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
    // Ready for calendar polls: up and not stopping, with or without the database (feeds answer from memory meanwhile).
    app.MapHealthChecks("/health/feeds", new HealthCheckOptions { Predicate = check => check.Tags.Contains("feeds") }).AllowAnonymous();

    var api = app.MapGroup("/api");
    api.MapKeysApi();
    api.MapProgrammesApi();
    api.MapEngagementsApi();
    api.MapLogisticsApi();
    api.MapLanguagesApi();
    api.MapHotelsAndTransfersApi();
    api.MapMemberSheetsApi();
    api.MapReviewApi();
    api.MapAuditApi();
    api.MapListsApi();
    api.MapImportExportApi();
    api.MapNotificationsApi();
    app.MapFeeds(api);
    app.MapRepliesApi(api);
    // Web interface: the Razor Pages (each names its policy and the cookie-or-bearer scheme).
    app.MapPlannerUi();
    // GET /api/admin/cluster (docs/operations.md).
    api.MapPlannerOperations();

    // The options checked at start (ValidateOnStart), checked here first: the host would log a failure with its stack
    // trace before the one line below.
    app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.Describe(ex) is { } problem)
{
    // A setting that cannot work ends with one line naming it, not a stack trace.
    await Console.Error.WriteLineAsync($"CommissionPlanner cannot start: {problem}");
    return 3;
}
catch (IOException ex) when (ex.InnerException is AddressInUseException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    await Console.Error.WriteLineAsync(
        $"CommissionPlanner cannot start: the HTTP port is already in use ({ex.Message}). " +
        "Stop whatever uses it, or choose another port (PLANNER_PORT for deploy/local/run.sh, or ASPNETCORE_URLS).");
    return 4;
}

/// <summary>The host's entry point; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program;
