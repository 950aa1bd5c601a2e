using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommissionPlanner.Data;

/// <summary>
/// A counter of the writes this process made through EF Core: saved changes, executed updates and deletes, and committed
/// transactions each advance it. Feed serving keeps renders in memory while it is unchanged (and only briefly, for writes
/// made by other silos), so a change made through this silo is seen by the very next feed request.
/// </summary>
public static class LocalWrites
{
    private static long version;

    /// <summary>Advances on every write; compare two reads to learn whether this process wrote in between.</summary>
    public static long Version => Interlocked.Read(ref version);

    internal static IInterceptor[] Interceptors { get; } = [new SaveInterceptor(), new CommandInterceptor(), new TransactionInterceptor()];

    internal static void Advance() => Interlocked.Increment(ref version);

    private sealed class SaveInterceptor : SaveChangesInterceptor
    {
        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Advance();
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Advance();
            return ValueTask.FromResult(result);
        }
    }

    private sealed class CommandInterceptor : DbCommandInterceptor
    {
        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            Advance();
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Advance();
            return ValueTask.FromResult(result);
        }
    }

    private sealed class TransactionInterceptor : DbTransactionInterceptor
    {
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Advance();

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Advance();
            return Task.CompletedTask;
        }
    }
}
