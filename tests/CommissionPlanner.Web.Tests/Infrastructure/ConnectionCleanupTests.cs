using Npgsql;

namespace CommissionPlanner.Web.Tests.Infrastructure;

/// <summary>
/// A host that has stopped leaves no connection open on PostgreSQL. Without that, the hundreds of hosts this suite
/// starts kept their idle pooled connections for Npgsql's five-minute idle lifetime and, on a machine with more cores
/// running more classes at once, exhausted max_connections (CI: "53300: sorry, too many clients already").
/// </summary>
public sealed class ConnectionCleanupTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stopped_host_leaves_no_connection_open_on_its_database()
    {
        var connectionString = await TestDatabase.CreateAsync("cleanup");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var app = new PlannerApp(connectionString, $"test-{Guid.NewGuid():N}");
        using (var client = app.AdminClient())
        {
            // Readiness, a write and a read: EF Core's pool and the silo's (membership) are both in use.
            (await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancel)).EnsureSuccessStatusCode();
            (await client.GetAsync(new Uri("/api/programmes", UriKind.Relative), Cancel)).EnsureSuccessStatusCode();
            Assert.True(await OpenConnections(database) > 0, "the host should have used its database");
        }

        await app.DisposeAsync();

        // Npgsql closes a connection by sending Terminate; the server's backend leaves pg_stat_activity a moment later.
        var open = await OpenConnections(database);
        for (var waited = 0; open > 0 && waited < 50; waited++)
        {
            await Task.Delay(100, Cancel);
            open = await OpenConnections(database);
        }

        Assert.Equal(0, open);
    }

    private static async Task<long> OpenConnections(string database)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ServerConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
