using CommissionPlanner.Data;
using CommissionPlanner.Web.Tests.Infrastructure;
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

    [Theory]
    [InlineData("Host=db", "-c random_page_cost=1.1")]
    [InlineData("Host=db;Options=-c search_path=planner", "-c search_path=planner -c random_page_cost=1.1")]
    [InlineData("Host=db;Options='-c random_page_cost=4'", "-c random_page_cost=4")]
    [InlineData("Host=db;Options=-c RANDOM_PAGE_COST=2", "-c RANDOM_PAGE_COST=2")]
    public void Random_page_cost_is_added_to_the_backend_options_unless_they_name_it(string connectionString, string expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PlannerDatabase.Tuned(connectionString)).Options);

    [Fact]
    public async Task The_planners_connections_start_with_the_random_page_cost_it_sets()
    {
        await using var dataSource = PlannerDatabase.CreateDataSource(TestDatabase.ServerConnectionString);
        await using var command = dataSource.CreateCommand("SHOW random_page_cost");

        Assert.Equal("1.1", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
