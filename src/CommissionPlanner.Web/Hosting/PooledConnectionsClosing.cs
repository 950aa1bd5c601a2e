using Npgsql;

namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// Closes the idle connections of Orleans' ADO.NET providers once the host has stopped. They connect through
/// Npgsql's process-wide pool for the configured string (EF Core has a data source of the host's own, closed with the
/// container), so a host that stops inside a process that goes on (the test suite starts hundreds) would otherwise
/// leave them open on the server for Npgsql's five-minute idle lifetime.
/// </summary>
internal sealed class PooledConnectionsClosing(IConfiguration configuration, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopped fires after every hosted service (the silo among them) has stopped using the database.
        lifetime.ApplicationStopped.Register(CloseIdleConnections);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void CloseIdleConnections()
    {
        if (configuration.GetConnectionString("Planner") is { Length: > 0 } connectionString)
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
