using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// <see cref="LocalWrites.Version"/> is one counter for the whole process, and every test host in it writes; this
/// collection runs alone, after the parallel ones, so that a write seen here is one this test made.
/// </summary>
[CollectionDefinition(nameof(LocalWritesAloneCollection), DisableParallelization = true)]
public sealed class LocalWritesAloneCollection;

/// <summary>
/// Folding marks moves no stamp, so it must not tell feed serving that this silo wrote (FeedService answers a repeated
/// poll from memory while <see cref="LocalWrites.Version"/> stands still): a fold every second would otherwise send
/// every poll back to PostgreSQL.
/// </summary>
[Collection(nameof(LocalWritesAloneCollection))]
public sealed class FoldLocalWritesTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IDbContextFactory<PlannerDbContext> Db => fixture.App.Services.GetRequiredService<IDbContextFactory<PlannerDbContext>>();

    [Fact]
    public async Task Folding_marks_is_not_counted_as_a_local_write_but_a_change_is()
    {
        var programmeId = Guid.CreateVersion7();
        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            db.Programmes.Add(new ProgrammeRecord
            {
                Id = programmeId, Name = "Fold test", TimeZone = "Asia/Shanghai",
                StartDate = new LocalDate(2025, 11, 10), EndDate = new LocalDate(2025, 11, 14), Version = 1,
            });
            await db.SaveChangesAsync(Cancel);
            await db.SaveChangesAndTouchAsync(programmeId, Cancel);
            await db.SaveChangesAndTouchAsync(programmeId, Cancel);
        }

        var before = LocalWrites.VersionOf(programmeId);
        Assert.True(before > 0, "the two changes above were counted for their programme");
        var dataSource = fixture.App.Services.GetRequiredService<NpgsqlDataSource>();
        // The host's own folder may take these marks first; either way they end up folded, and neither fold counts.
        while (await Marks(programmeId) > 0)
        {
            await ProgrammeChanges.FoldAsync(dataSource, Cancel);
        }

        Assert.Equal(before, LocalWrites.VersionOf(programmeId));

        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            await db.SaveChangesAndTouchAsync(programmeId, Cancel);
        }

        Assert.True(LocalWrites.VersionOf(programmeId) > before, "a change saved through EF Core advances its programme's version");

        // Inside a caller's transaction the change counts once it commits, and not at all when it is rolled back.
        await using (var db = await Db.CreateDbContextAsync(Cancel))
        {
            var committed = LocalWrites.VersionOf(programmeId);
            await using (var transaction = await db.Database.BeginTransactionAsync(Cancel))
            {
                await db.SaveChangesAndTouchAsync(programmeId, Cancel);
                Assert.Equal(committed, LocalWrites.VersionOf(programmeId));
                await transaction.RollbackAsync(Cancel);
            }

            Assert.Equal(committed, LocalWrites.VersionOf(programmeId));
            db.ChangeTracker.Clear();
            await using (var transaction = await db.Database.BeginTransactionAsync(Cancel))
            {
                await db.SaveChangesAndTouchAsync(programmeId, Cancel);
                Assert.Equal(committed, LocalWrites.VersionOf(programmeId));
                await transaction.CommitAsync(Cancel);
            }

            Assert.True(LocalWrites.VersionOf(programmeId) > committed, "the committed change advances its programme's version");
        }
    }

    private async Task<int> Marks(Guid programmeId)
    {
        await using var db = await Db.CreateDbContextAsync(Cancel);
        return await db.ProgrammeChangeMarks.CountAsync(m => m.ProgrammeId == programmeId, Cancel);
    }
}
