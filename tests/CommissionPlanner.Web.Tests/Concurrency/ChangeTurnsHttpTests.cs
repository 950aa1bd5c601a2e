using System.Diagnostics;
using System.Net;
using CommissionPlanner.Web.Tests.Feeds;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using CommissionPlanner.Web.Tests.Security;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Concurrency;

/// <summary>A host whose changes may take a twentieth of its time while calendar polls are being answered.</summary>
public sealed class ChangeTurnsFixture : ConfiguredPlannerFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:Writes:Concurrency"] = "4",
        ["Planner:Writes:ShareBesidePolls"] = "0.05",
    };
}

public sealed class ChangeTurnsHttpTests(ChangeTurnsFixture fixture) : IClassFixture<ChangeTurnsFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// A change held by a row lock, then a second change: with no poll answered, the second runs beside the first at once;
    /// right after a poll, the second waits its turn. The held change gives the turn up after 100 ms, and its rest at a
    /// share of 0.05 is nineteen times that, so the second cannot finish sooner than two seconds after the first was sent,
    /// and it still finishes while the first is held.
    /// </summary>
    [Fact]
    public async Task Beside_polls_changes_take_turns_with_a_rest_and_a_held_change_gives_its_turn_up()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var programme = (await admin.CreateProgramme("Turns")).Id();
        var feed = FeedClient.Parse(await admin.Send(HttpMethod.Post, $"/api/programmes/{programme}/feeds"));
        using var calendar = fixture.App.CreateClient();
        await Task.Delay(WritePollWindow * 2, Cancel);

        // No poll answered: the second change goes beside the held one.
        await using (var held = await LockProgrammeAsync(programme))
        {
            var first = admin.Patch($"/api/programmes/{programme}", new { notificationsEnabled = true });
            await HeldChanges.WaitUntilWaitingOnLock(held.Connection);
            var sent = Stopwatch.StartNew();
            (await admin.TryCreateProgramme(HeldChanges.Programme("Beside the held change"))).Created();
            Assert.True(sent.Elapsed < TimeSpan.FromSeconds(1.8), $"with no poll answered the change took {sent.Elapsed}");
            Assert.False(first.IsCompleted);
            await held.Transaction.RollbackAsync(Cancel);
            (await first).Ok();
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5), Cancel); // the rest after the first change (at most 100 ms held) is over

        // Right after a poll: the second change waits for the held one's turn and rest.
        await using (var held = await LockProgrammeAsync(programme))
        {
            await Poll(calendar, feed.Url);
            var sentFirst = Stopwatch.StartNew();
            var first = admin.Patch($"/api/programmes/{programme}", new { notificationsEnabled = false });
            await HeldChanges.WaitUntilWaitingOnLock(held.Connection);
            await Poll(calendar, feed.Url);
            (await admin.TryCreateProgramme(HeldChanges.Programme("After the held change's turn"))).Created();
            Assert.True(sentFirst.Elapsed >= TimeSpan.FromSeconds(1.9), $"beside polls the second change finished {sentFirst.Elapsed} after the first was sent");
            Assert.False(first.IsCompleted, "the held change should have given its turn up, not finished");
            await held.Transaction.RollbackAsync(Cancel);
            (await first).Ok();
        }
    }

    private static readonly TimeSpan WritePollWindow = CommissionPlanner.Web.Hosting.WriteAdmission.PollWindow;

    private static async Task Poll(HttpClient calendar, Uri url)
    {
        using var response = await calendar.GetAsync(url, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed record HeldRow(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }

    /// <summary>A session holding the programme's row FOR UPDATE: a change to the programme waits inside PostgreSQL; a new programme does not.</summary>
    private async Task<HeldRow> LockProgrammeAsync(string programmeId)
    {
        var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        var transaction = await connection.BeginTransactionAsync(Cancel);
        await using var lockRow = new NpgsqlCommand("SELECT 1 FROM programmes WHERE id = @id FOR UPDATE", connection, transaction);
        lockRow.Parameters.AddWithValue("id", Guid.Parse(programmeId));
        Assert.Equal(1, await lockRow.ExecuteScalarAsync(Cancel));
        return new HeldRow(connection, transaction);
    }
}
