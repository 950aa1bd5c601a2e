using System.Net;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// A programme's change stamp (what cached feeds follow) goes up when a change commits, in the same transaction, and
/// only then, whatever order concurrent changes commit in; folding the marks into the programme row never moves it
/// (ProgrammeChangeMark, ProgrammeChanges).
/// </summary>
public sealed class ChangeStampTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IDbContextFactory<PlannerDbContext> Db => fixture.App.Services.GetRequiredService<IDbContextFactory<PlannerDbContext>>();

    private NpgsqlDataSource DataSource => fixture.App.Services.GetRequiredService<NpgsqlDataSource>();

    [Fact]
    public async Task A_saved_change_bumps_the_stamp_once()
    {
        var programmeId = await NewProgramme();
        var before = await Stamp(programmeId);

        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            var programme = await db.Programmes.SingleAsync(p => p.Id == programmeId, Cancel);
            programme.Name = "Renamed";
            await db.SaveChangesAndTouchAsync(programmeId, Cancel);
        }

        Assert.Equal(before + 1, await Stamp(programmeId));
    }

    [Fact]
    public async Task Touching_several_programmes_bumps_each_once()
    {
        var first = await NewProgramme();
        var second = await NewProgramme();
        var (firstBefore, secondBefore) = (await Stamp(first), await Stamp(second));

        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            await db.SaveChangesAndTouchAsync([first, second, first], Cancel);
        }

        Assert.Equal(firstBefore + 1, await Stamp(first));
        Assert.Equal(secondBefore + 1, await Stamp(second));
    }

    [Fact]
    public async Task Inside_an_open_transaction_the_stamp_moves_only_when_it_commits_and_not_at_all_when_it_rolls_back()
    {
        var programmeId = await NewProgramme();
        var before = await Stamp(programmeId);

        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
            (await db.Programmes.SingleAsync(p => p.Id == programmeId, Cancel)).Name = "Committed";
            await db.SaveChangesAndTouchAsync(programmeId, Cancel);
            Assert.Equal(before, await Stamp(programmeId));
            await transaction.CommitAsync(Cancel);
        }

        Assert.Equal(before + 1, await Stamp(programmeId));

        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
            (await db.Programmes.SingleAsync(p => p.Id == programmeId, Cancel)).Name = "Rolled back";
            await db.SaveChangesAndTouchAsync(programmeId, Cancel);
            await transaction.RollbackAsync(Cancel);
        }

        Assert.Equal(before + 1, await Stamp(programmeId));
    }

    [Fact]
    public async Task A_change_that_commits_after_a_later_one_still_moves_the_stamp()
    {
        // Were the stamp the newest mark's number, the feed rendered between the two commits (seeing the second
        // change, not the first) would stay cached under a stamp the first commit leaves unchanged.
        var programmeId = await NewProgramme();
        var before = await Stamp(programmeId);

        await using var slow = await Db.CreateDbContextAsync(Cancel);
        await using var transaction = await slow.Database.BeginTransactionAsync(Cancel);
        await slow.SaveChangesAndTouchAsync(programmeId, Cancel);

        await using (var quick = await Db.CreateDbContextAsync(Cancel))
        {
            await quick.SaveChangesAndTouchAsync(programmeId, Cancel);
        }

        var between = await Stamp(programmeId);
        Assert.Equal(before + 1, between);
        await transaction.CommitAsync(Cancel);
        Assert.Equal(between + 1, await Stamp(programmeId));
    }

    [Fact]
    public async Task Folding_keeps_the_stamp_and_empties_the_programmes_marks()
    {
        var programmeId = await NewProgramme();
        var before = await Stamp(programmeId);
        for (var i = 0; i < 3; i++)
        {
            await using var db = await Db.CreateDbContextAsync(Cancel);
            await db.SaveChangesAndTouchAsync(programmeId, Cancel);
        }

        // The app's own folder may be folding at this moment; then this one waits for its turn by trying again.
        while (await Marks(programmeId) > 0)
        {
            await ProgrammeChanges.FoldAsync(DataSource, Cancel);
        }

        Assert.Equal(before + 3, await Stamp(programmeId));
        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            Assert.Equal(before + 3, await db.Programmes.Where(p => p.Id == programmeId).Select(p => p.ChangeStamp).SingleAsync(Cancel));
        }
    }

    [Fact]
    public async Task Concurrent_changes_to_one_programme_each_count_while_folds_run_beside_them()
    {
        var programmeId = await NewProgramme();
        var before = await Stamp(programmeId);

        var writers = Enumerable.Range(0, 64).Select(async _ =>
        {
            await using var db = await Db.CreateDbContextAsync(Cancel);
            await db.SaveChangesAndTouchAsync(programmeId, Cancel);
        });
        var folders = Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 8; i++)
            {
                await ProgrammeChanges.FoldAsync(DataSource, Cancel);
            }
        });
        var stamps = Enumerable.Range(0, 4).Select(async _ =>
        {
            // Seen while writes and folds interleave, the stamp never goes down.
            var last = before;
            for (var i = 0; i < 16; i++)
            {
                var now = await Stamp(programmeId);
                Assert.True(now >= last, $"stamp went from {last} to {now}");
                last = now;
            }
        });
        await Task.WhenAll(writers.Concat(folders).Concat(stamps));

        Assert.Equal(before + 64, await Stamp(programmeId));
    }

    [Fact]
    public async Task Adding_an_attendee_is_all_or_nothing()
    {
        // An add is written as one batch without BEGIN and COMMIT (AttendeeWrites.AddAsync): if the batch's last
        // statement fails, the rows written before it must not stay. The mark's insert is made to fail,
        // for this test's programme only, by a trigger that lives only for this test.
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var programmeId = Guid.Parse(jcm.ProgrammeId);
        var stampBefore = await Stamp(programmeId);
        var refuse = "refuse_marks_" + programmeId.ToString("N");

        await Execute($"""
            CREATE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.programme_id = '{programmeId}' THEN RAISE EXCEPTION 'mark refused by the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {refuse} BEFORE INSERT ON programme_change_marks FOR EACH ROW EXECUTE FUNCTION {refuse}();
            """);
        try
        {
            var refused = await api.TryAddAttendee(plenary.Id(), person);
            Assert.True(refused.Status == HttpStatusCode.InternalServerError, refused.Describe());
        }
        finally
        {
            await Execute($"DROP TRIGGER {refuse} ON programme_change_marks; DROP FUNCTION {refuse}();");
        }

        Assert.Empty((await api.GetAttendees(plenary.Id())).Items());
        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            var engagementId = Guid.Parse(plenary.Id());
            Assert.False(await db.AuditEntries.AnyAsync(a => a.EntityId == engagementId && a.Action == "attendee-added", Cancel));
        }

        Assert.Equal(stampBefore, await Stamp(programmeId));

        // Nothing was left half done: the same add now succeeds, and moves the stamp.
        await api.AddAttendee(plenary.Id(), person);
        Assert.Equal(stampBefore + 1, await Stamp(programmeId));
    }

    private async Task Execute(string sql)
    {
        await using var db = await Db.CreateDbContextAsync(Cancel);
        await db.Database.ExecuteSqlRawAsync(sql, Cancel);
    }

    private async Task<Guid> NewProgramme()
    {
        await using var db = await Db.CreateDbContextAsync(Cancel);
        var programme = new ProgrammeRecord
        {
            Id = Guid.CreateVersion7(), Name = "Stamp test", TimeZone = "Asia/Shanghai",
            StartDate = new LocalDate(2025, 11, 10), EndDate = new LocalDate(2025, 11, 14), Version = 1,
        };
        db.Programmes.Add(programme);
        await db.SaveChangesAsync(Cancel);
        return programme.Id;
    }

    private async Task<long> Stamp(Guid programmeId)
    {
        await using var db = await Db.CreateDbContextAsync(Cancel);
        return await db.ProgrammeStamps().Where(p => p.ProgrammeId == programmeId).Select(p => p.Stamp).SingleAsync(Cancel);
    }

    private async Task<int> Marks(Guid programmeId)
    {
        await using var db = await Db.CreateDbContextAsync(Cancel);
        return await db.ProgrammeChangeMarks.CountAsync(m => m.ProgrammeId == programmeId, Cancel);
    }
}
