using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// Checks made before the host starts, so that a missing setting or an unreachable database ends
/// with one sentence naming the fix rather than a stack trace.
/// </summary>
internal static class StartupChecks
{
    public const int MinimumProductionKeyLength = 32;

    public static string? CheckConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString("Planner");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "No database is configured: set the connection string ConnectionStrings:Planner " +
                   "(environment variable ConnectionStrings__Planner), or start the planner with deploy/local/run.sh.";
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            return $"ConnectionStrings__Planner is not a valid PostgreSQL connection string: {ex.Message}";
        }

        var bootstrapKey = configuration[$"{PlannerOptions.Section}:BootstrapAdminKey"];
        if (!environment.IsDevelopment() && (bootstrapKey is null || bootstrapKey.Length < MinimumProductionKeyLength))
        {
            return $"Planner__BootstrapAdminKey must be set to a random secret of at least {MinimumProductionKeyLength} characters " +
                   "outside Development (for example: openssl rand -base64 32).";
        }

        return null;
    }

    /// <summary>Opens one connection, so that an unreachable server is reported before Orleans and EF Core start.</summary>
    public static async Task<string?> CheckDatabaseReachableAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 10, Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"Cannot reach PostgreSQL at {builder.Host}:{builder.Port} (database '{builder.Database}'): {ex.Message}. " +
                   "Check ConnectionStrings__Planner, or start the private server with deploy/local/run.sh.";
        }
    }
}
