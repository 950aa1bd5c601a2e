using System.Collections.Concurrent;
using System.Data.Common;
using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommissionPlanner.Data;

/// <summary>
/// Which programmes this process changed, and when, on one counter: each committed change to a programme (one that marks
/// it, <see cref="ProgrammeChanges"/>) takes the counter's next value as that programme's. Feed serving keeps a programme's
/// feeds in memory while no change to it was committed here since it read them (and only briefly, for changes made by
/// other silos), so a change made through this silo is seen by the very next poll of that programme's feeds, and a burst
/// of changes to one programme leaves every other programme's feeds answered from memory.
/// </summary>
/// <remarks>
/// Changes saved through EF Core are seen by the interceptors below: the marks a save adds are counted once their
/// transaction commits (EF Core's own, or the caller's). Statements sent outside EF Core that mark a programme call
/// <see cref="Advance(Guid)"/> after they commit.
/// </remarks>
public static class LocalWrites
{
    private static long version;

    /// <summary>Per programme, the counter's value at the last change committed through this process.</summary>
    private static readonly ConcurrentDictionary<Guid, long> Programmes = new();

    /// <summary>Pending marks per context: added by a save whose transaction has not committed yet.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, HashSet<Guid>> Pending = [];

    /// <summary>
    /// The counter now. Read it before reading PostgreSQL: what was read is current for a programme as long as
    /// <see cref="VersionOf"/> that programme is no higher than this.
    /// </summary>
    public static long Version => Interlocked.Read(ref version);

    /// <summary>The counter's value at the last change to the programme committed through this process; 0 for none.</summary>
    public static long VersionOf(Guid programmeId) => Programmes.TryGetValue(programmeId, out var at) ? at : 0;

    internal static IInterceptor[] Interceptors { get; } = [new SaveInterceptor(), new TransactionInterceptor()];

    /// <summary>A change to the programme has committed (call it after the commit, never before).</summary>
    public static void Advance(Guid programmeId)
    {
        var at = Interlocked.Increment(ref version);
        Programmes.AddOrUpdate(programmeId, at, (_, before) => Math.Max(before, at));
    }

    private static void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        HashSet<Guid>? marked = null;
        foreach (var entry in context.ChangeTracker.Entries<ProgrammeChangeMark>())
        {
            if (entry.State == EntityState.Added)
            {
                (marked ??= Pending.GetOrCreateValue(context)).Add(entry.Entity.ProgrammeId);
            }
        }
    }

    private static void Committed(DbContext? context)
    {
        if (context is not null && Pending.TryGetValue(context, out var marked))
        {
            foreach (var programmeId in marked)
            {
                Advance(programmeId);
            }

            marked.Clear();
        }
    }

    private sealed class SaveInterceptor : SaveChangesInterceptor
    {
        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Collect(eventData.Context);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Collect(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Saved(eventData.Context);
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Saved(eventData.Context);
            return ValueTask.FromResult(result);
        }

        /// <summary>Without a transaction of the caller's, the save's own has committed by now.</summary>
        private static void Saved(DbContext? context)
        {
            if (context?.Database.CurrentTransaction is null)
            {
                Committed(context);
            }
        }

        public override void SaveChangesFailed(DbContextErrorEventData eventData) => Discard(eventData.Context);

        public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Discard(eventData.Context);
            return Task.CompletedTask;
        }

        /// <summary>A failed save inside the caller's transaction may be retried in it; its marks are collected again then.</summary>
        private static void Discard(DbContext? context)
        {
            if (context?.Database.CurrentTransaction is null && context is not null && Pending.TryGetValue(context, out var marked))
            {
                marked.Clear();
            }
        }
    }

    private sealed class TransactionInterceptor : DbTransactionInterceptor
    {
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Committed(eventData.Context);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => RolledBack(eventData.Context);

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            RolledBack(eventData.Context);
            return Task.CompletedTask;
        }

        private static void RolledBack(DbContext? context)
        {
            if (context is not null && Pending.TryGetValue(context, out var marked))
            {
                marked.Clear();
            }
        }
    }
}
