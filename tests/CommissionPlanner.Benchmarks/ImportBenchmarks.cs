using BenchmarkDotNet.Attributes;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Import;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Benchmarks;

/// <summary>
/// Importing a programme of 5,000 people and 1,000 engagements (50,000 attendees) into an empty, migrated database on
/// a real PostgreSQL: PLANNER_BENCH_PG is a server-level connection string (deploy/perf/benchmarks.sh starts a private
/// cluster "bench" and sets it). Each iteration gets a fresh database, made (and dropped) outside the measurement.
/// </summary>
[MemoryDiagnoser]
public class ImportBenchmarks
{
    private ProgrammeDocument document = null!;
    private string server = null!;
    private string? database;
    private Factory? factory;

    [GlobalSetup]
    public void Setup()
    {
        server = Environment.GetEnvironmentVariable("PLANNER_BENCH_PG")
            ?? throw new InvalidOperationException("PLANNER_BENCH_PG is not set: run deploy/perf/benchmarks.sh, which starts PostgreSQL and sets it.");
        document = ProgrammeGenerator.Generate(ProgrammeShape.Import);
    }

    [IterationSetup]
    public void CreateDatabase()
    {
        database = $"bench_import_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE \"{database}\"");
        factory = new Factory(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
        using var db = factory.CreateDbContext();
        db.Database.Migrate();
    }

    [IterationCleanup]
    public void DropDatabase()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    [Benchmark]
    public async Task<bool> Import5000People1000Engagements()
    {
        var outcome = await new ProgrammeImporter(factory!, SystemClock.Instance, DateTimeZoneProviders.Tzdb).ImportAsync(document, CancellationToken.None);
        return outcome.Summary is not null ? true : throw new InvalidOperationException("The import failed: " + outcome);
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private sealed class Factory(string connectionString) : IDbContextFactory<PlannerDbContext>
    {
        private readonly DbContextOptions<PlannerDbContext> options = Build(connectionString);

        public PlannerDbContext CreateDbContext() => new(options);

        private static DbContextOptions<PlannerDbContext> Build(string connectionString)
        {
            var builder = new DbContextOptionsBuilder<PlannerDbContext>();
            builder.UsePlannerDatabase(connectionString);
            return builder.Options;
        }
    }
}
