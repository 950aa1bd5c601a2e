using System.Diagnostics;
using CommissionPlanner.Data;
using CommissionPlanner.Web.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommissionPlanner.Web.Hosting;

/// <summary>A start-up problem with one sentence that names the fix; Program prints it instead of a stack trace.</summary>
public sealed class StartupException(string message) : Exception(message);

/// <summary>
/// Runs before the Orleans silo starts (it is registered first): waits until PostgreSQL answers and, when
/// <c>Planner:MigrateOnStart</c> is on (the default in Development), applies EF Core migrations, which
/// include the tables and queries Orleans' ADO.NET clustering reads.
/// </summary>
internal sealed class DatabaseStartup(
    IConfiguration configuration,
    IHostEnvironment environment,
    IDbContextFactory<PlannerDbContext> dbFactory,
    IOptions<OperationsOptions> operations,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await WaitForDatabaseAsync(configuration, operations.Value.DatabaseWaitSeconds, logger, cancellationToken);
        if (configuration.GetValue<bool?>("Planner:MigrateOnStart") ?? environment.IsDevelopment())
        {
            await MigrateAsync(dbFactory, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Returns once PostgreSQL answers. A silo started with its database (a whole site rebooting, a database failing
    /// over) waits for it instead of exiting and staying down without a supervisor: one log line per attempt, doubling
    /// waits up to 15 s, and after <paramref name="waitSeconds"/> the one-line <see cref="StartupException"/>.
    /// </summary>
    public static async Task WaitForDatabaseAsync(IConfiguration configuration, int waitSeconds, ILogger logger, CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString("Planner")!;
        var started = Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            var problem = await StartupChecks.CheckDatabaseReachableAsync(connectionString, cancellationToken);
            var waited = Stopwatch.GetElapsedTime(started);
            if (problem is null)
            {
                if (attempt > 1)
                {
                    logger.LogInformation("PostgreSQL answered at attempt {Attempt}, after {Seconds:F0} s; starting.", attempt, waited.TotalSeconds);
                }

                return;
            }

            if (waited + delay > TimeSpan.FromSeconds(waitSeconds))
            {
                throw new StartupException(attempt == 1 ? problem : $"{problem} Gave up after {attempt} attempts in {waited.TotalSeconds:F0} s (Planner:Operations:DatabaseWaitSeconds is {waitSeconds}).");
            }

            logger.LogWarning("Waiting for PostgreSQL (attempt {Attempt}, next in {Delay:F0} s, giving up after {Limit} s): {Problem}",
                attempt, delay.TotalSeconds, waitSeconds, problem);
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromSeconds(Math.Min(15, delay.TotalSeconds * 2));
        }
    }

    public static async Task MigrateAsync(IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new StartupException($"The database user may not change the schema ({ex.MessageText}). Run the migrations as the schema owner: dotnet CommissionPlanner.Web.dll --migrate-only");
        }
    }
}
