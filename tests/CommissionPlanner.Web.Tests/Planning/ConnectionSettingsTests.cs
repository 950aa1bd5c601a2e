using CommissionPlanner.Data;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>The planner's connection-string defaults (docs/operations.md), and that an explicit setting wins.</summary>
public sealed class ConnectionSettingsTests
{
    [Fact]
    public void Statements_are_prepared_and_pooled_connections_not_reset_by_default()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PlannerDatabase.Tuned("Host=db.example;Database=planner;Username=planner"));

        Assert.Equal(100, tuned.MaxAutoPrepare);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("db.example", tuned.Host);
        Assert.Equal("planner", tuned.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;max auto prepare=20", 20)]
    [InlineData("Host=db;MaxAutoPrepare=0", 0)]
    public void An_explicit_auto_prepare_setting_is_kept(string connectionString, int expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PlannerDatabase.Tuned(connectionString)).MaxAutoPrepare);
}
