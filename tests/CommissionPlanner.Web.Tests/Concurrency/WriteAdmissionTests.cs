using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using CommissionPlanner.Web.Tests.Security;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Concurrency;

/// <summary>A host that admits one change at a time, lets one more wait, and only for two seconds.</summary>
public sealed class WriteAdmissionFixture : ConfiguredPlannerFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:Writes:Concurrency"] = "1",
        ["Planner:Writes:QueueLimit"] = "1",
        ["Planner:Writes:QueueSeconds"] = "2",
    };
}

public sealed class WriteAdmissionTests(WriteAdmissionFixture fixture) : IClassFixture<WriteAdmissionFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changes_wait_their_turn_in_order_past_the_queue_they_get_503_and_reads_never_wait()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var before = (await admin.GetJson("/api/programmes")).GetArrayLength();

        // A lock on the programmes table holds the first change inside PostgreSQL, on the one permit.
        var (connection, transaction) = await LockProgrammesAsync();
        await using var _ = connection;

        var first = admin.TryCreateProgramme(HeldChanges.Programme("Held by the lock"));
        await HeldChanges.WaitUntilWaitingOnLock(connection);
        var second = admin.TryCreateProgramme(HeldChanges.Programme("Waiting its turn"));
        await Task.Delay(TimeSpan.FromMilliseconds(300), Cancel);

        // The queue holds one: a third change is refused at once, with nothing written.
        var third = await admin.TryCreateProgramme(HeldChanges.Programme("Past the queue"));
        third.Expect(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("1", third.Headers["Retry-After"]);
        Assert.Equal("application/problem+json", third.MediaType);
        Assert.Contains("Too many changes are waiting", third.Json.Str("detail"), StringComparison.Ordinal);

        // Reads are not queued behind the changes: a page of something the lock does not cover answers now.
        var read = admin.Get("/health/live");
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(1), Cancel)));
        (await read).Expect(HttpStatusCode.OK);
        Assert.False(second.IsCompleted, "the second change should still be waiting for the first's permit");

        await transaction.RollbackAsync(Cancel);
        await transaction.DisposeAsync();
        (await first).Created();
        (await second).Created();
        var names = (await admin.GetJson("/api/programmes")).EnumerateArray().Select(p => p.Str("name")).ToList();
        Assert.Equal(before + 2, names.Count);
        Assert.DoesNotContain("Past the queue", names);
    }

    [Fact]
    public async Task A_change_that_waits_past_the_queue_time_is_answered_503_and_not_applied_late()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var (connection, transaction) = await LockProgrammesAsync();
        await using var _ = connection;

        var first = admin.TryCreateProgramme(HeldChanges.Programme("Held past the queue time"));
        await HeldChanges.WaitUntilWaitingOnLock(connection);
        var waited = await admin.TryCreateProgramme(HeldChanges.Programme("Timed out in the queue"));
        waited.Expect(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("waited 2 seconds", waited.Json.Str("detail"), StringComparison.Ordinal);

        await transaction.RollbackAsync(Cancel);
        await transaction.DisposeAsync();
        (await first).Created();
        // The refused change never ran, even once the permit came free.
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        var names = (await admin.GetJson("/api/programmes")).EnumerateArray().Select(p => p.Str("name")).ToList();
        Assert.Contains("Held past the queue time", names);
        Assert.DoesNotContain("Timed out in the queue", names);
    }

    /// <summary>A session holding <c>LOCK TABLE programmes</c> until its transaction ends: a change creating one waits inside PostgreSQL.</summary>
    private async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> LockProgrammesAsync()
    {
        var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        var transaction = await connection.BeginTransactionAsync(Cancel);
        await using var lockProgrammes = new NpgsqlCommand("LOCK TABLE programmes IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await lockProgrammes.ExecuteNonQueryAsync(Cancel);
        return (connection, transaction);
    }
}
