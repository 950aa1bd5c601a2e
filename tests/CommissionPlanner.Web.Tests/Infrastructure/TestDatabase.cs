using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Infrastructure;

/// <summary>
/// A fresh database on the private PostgreSQL server that <c>deploy/local/test.sh</c> starts, one per fixture,
/// so fixtures run in parallel without seeing each other's data.
/// </summary>
public static class TestDatabase
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__PlannerTests")
        ?? throw new InvalidOperationException(
            "ConnectionStrings__PlannerTests is not set. Run the tests with deploy/local/test.sh, which starts a private PostgreSQL and sets it.");

    public static async Task<string> CreateAsync(string purpose)
    {
        // PostgreSQL names are at most 63 bytes: keep the purpose short.
        var name = $"test_{purpose[..Math.Min(purpose.Length, 20)]}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A TCP port nobody listens on right now (for a silo's endpoint).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
