using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace CommissionPlanner.Data;

public static class PlannerDatabase
{
    /// <summary>
    /// Configures EF Core for the planner: Npgsql with NodaTime types, and snake_case names so that people
    /// writing reports in SQL never need to quote an identifier. Hosts pass their own data source
    /// (<see cref="CreateDataSource"/>), so that its connections close when the host stops; with a connection string,
    /// Npgsql's EF provider builds a data source of its own that lives as long as the process.
    /// </summary>
    public static DbContextOptionsBuilder UsePlannerDatabase(this DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        Configure(options.UseNpgsql(dataSource, Npgsql));

    /// <inheritdoc cref="UsePlannerDatabase(DbContextOptionsBuilder, NpgsqlDataSource)"/>
    public static DbContextOptionsBuilder UsePlannerDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        Configure(options.UseNpgsql(Tuned(connectionString), Npgsql));

    /// <summary>
    /// The planner's connections (the <see cref="Tuned"/> string, NodaTime types), owned by whoever disposes it: the host's
    /// container. Disposing it closes its idle connections at once, where a process-wide pool keeps them for Npgsql's idle
    /// lifetime (five minutes) after the host has gone; the test suite, starting hundreds of hosts in one process, ran
    /// PostgreSQL out of connections that way ("53300: sorry, too many clients already").
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(Tuned(connectionString));
        builder.UseNodaTime();
        return builder.Build();
    }

    private static void Npgsql(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql)
    {
        npgsql.UseNodaTime();
        npgsql.MigrationsHistoryTable("__ef_migrations_history");
    }

    private static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention()
            // Every committed change to a programme advances its LocalWrites version: feed serving rereads its feeds.
            .AddInterceptors(LocalWrites.Interceptors);

    /// <summary>
    /// The connection string with the planner's defaults where it sets none (docs/operations.md), measured with deploy/perf/load-test.sh
    /// (docs/performance.md): statements used more than once are prepared, so PostgreSQL parses and plans the hot
    /// queries once per connection instead of per call; a pooled connection is not reset when it is returned
    /// (no DISCARD ALL before its next use), as the planner sets no session state that could leak to the next user; and
    /// PostgreSQL costs a random page read as 1.1 sequential ones instead of 4 (<see cref="RandomPageCost"/>).
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The generic builder holds only the keywords the string names, so an explicit "Max Auto Prepare=0" (e.g. behind
        // a pooler without prepared-statement support) is kept.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 100;
        }

        builder.NoResetOnClose = true;
        if (builder.Options is not { } backend || !backend.Contains("random_page_cost", StringComparison.OrdinalIgnoreCase))
        {
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? RandomPageCost : $"{builder.Options} {RandomPageCost}";
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The backend option the planner's connections start with unless the string's Options name random_page_cost. With
    /// PostgreSQL's default of 4 (a random read costs four sequential ones: spinning disks), a person's lists in list order
    /// (attendees of their 10 engagements, 400 rows, joined to their people) were planned as a sequential scan of all
    /// 28,000 people in the scale test's database: 20 ms per itinerary load, against 1.8 ms with 1.1, the value for data
    /// that is in memory or on SSDs (docs/performance.md, "Random page cost"). Set per connection, so it needs no
    /// privilege on the database and holds on every connection from the first.
    /// </summary>
    public const string RandomPageCost = "-c random_page_cost=1.1";
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
