using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace CommissionPlanner.Data;

public static class PlannerDatabase
{
    /// <summary>
    /// Configures EF Core for the planner: Npgsql with NodaTime types, and snake_case names so that people
    /// writing reports in SQL never need to quote an identifier.
    /// </summary>
    public static DbContextOptionsBuilder UsePlannerDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql =>
            {
                npgsql.UseNodaTime();
                npgsql.MigrationsHistoryTable("__ef_migrations_history");
            })
            .UseSnakeCaseNamingConvention()
            // Every write advances LocalWrites.Version, which tells feed serving that its in-memory renders may be stale.
            .AddInterceptors(LocalWrites.Interceptors);
}

/// <summary>Lets <c>dotnet ef</c> build the model without a running host.</summary>
internal sealed class DesignTimePlannerDbContextFactory : IDesignTimeDbContextFactory<PlannerDbContext>
{
    public PlannerDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Planner")
            ?? new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Database = "planner", Username = "postgres" }.ConnectionString;
        var options = new DbContextOptionsBuilder<PlannerDbContext>();
        options.UsePlannerDatabase(connectionString);
        return new PlannerDbContext(options.Options);
    }
}
