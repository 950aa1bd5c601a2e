using CommissionPlanner.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommissionPlanner.Web.Hosting;

/// <summary>A start-up problem with one sentence that names the fix; Program prints it instead of a stack trace.</summary>
public sealed class StartupException(string message) : Exception(message);

/// <summary>
/// Runs before the Orleans silo starts (it is registered first): checks that PostgreSQL answers and, when
/// <c>Planner:MigrateOnStart</c> is on (the default in Development), applies EF Core migrations, which
/// include the tables and queries Orleans' ADO.NET clustering reads.
/// </summary>
internal sealed class DatabaseStartup(
    IConfiguration configuration, IHostEnvironment environment, IDbContextFactory<PlannerDbContext> dbFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString("Planner")!;
        if (await StartupChecks.CheckDatabaseReachableAsync(connectionString, cancellationToken) is { } problem)
        {
            throw new StartupException(problem);
        }

        if (configuration.GetValue<bool?>("Planner:MigrateOnStart") ?? environment.IsDevelopment())
        {
            await MigrateAsync(dbFactory, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
