using CommissionPlanner.Web.Tests.Planning;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Concurrency;

/// <summary>What the admission tests share: holding a change inside PostgreSQL, and a programme to create beside it.</summary>
internal static class HeldChanges
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static object Programme(string name) =>
        new { name, startDate = "2025-11-10", endDate = "2025-11-14", timeZone = "Asia/Shanghai", areas = Jcm.AgreedAreas };

    /// <summary>Until some other session waits on a lock (the held change, inside PostgreSQL), at most 10 s.</summary>
    public static async Task WaitUntilWaitingOnLock(NpgsqlConnection observer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()", observer);
        while (DateTime.UtcNow < deadline)
        {
            if ((long)(await count.ExecuteScalarAsync(Cancel))! > 0)
            {
                return;
            }

            await Task.Delay(20, Cancel);
        }

        Assert.Fail("The first change never reached the lock.");
    }
}
