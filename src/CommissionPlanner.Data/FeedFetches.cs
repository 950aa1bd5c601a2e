using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace CommissionPlanner.Data;

/// <summary>What a served poll writes back to its feed row: the content's tag and change time, and the fetch record.</summary>
/// <param name="FeedId">The feed row.</param>
/// <param name="ContentTag">The ETag of the bytes served.</param>
/// <param name="ContentChangedAt">When those bytes first differed from the ones before (Last-Modified).</param>
/// <param name="LastFetchedAt">When the last recorded fetch was (this poll's time when it is recorded).</param>
/// <param name="LastUserAgent">That fetch's User-Agent, as kept (at most 300 characters).</param>
/// <param name="FetchesAdded">1 when this poll is recorded as a fetch (<c>fetch_count</c> goes up by one), else 0.</param>
public sealed record FeedFetch(
    Guid FeedId, string ContentTag, Instant ContentChangedAt, Instant LastFetchedAt, string? LastUserAgent, int FetchesAdded);

/// <summary>
/// Writes <see cref="FeedFetch"/>es. This is bookkeeping, not a change anyone made to what a feed shows, so it differs from
/// other writes in two ways:
/// <list type="bullet">
/// <item>It runs on a connection of its own from the data source, outside EF Core, so it does not advance
/// <see cref="LocalWrites.Version"/>. A poll's fetch record must not make every other feed this silo holds in memory ask
/// PostgreSQL again.</item>
/// <item>It commits without waiting for the WAL flush (<c>synchronous_commit</c> off for this one transaction), so a poll never
/// waits for the disk. A crash can lose the last fraction of a second of these rows. The next poll then writes them again:
/// Last-Modified moves a second on, and the bytes and their ETag stay the same.</item>
/// </list>
/// </summary>
public static class FeedFetches
{
    /// <summary>One round trip for the statements (BEGIN is sent with them), one for the COMMIT, none for the disk.</summary>
    public static async Task RecordAsync(NpgsqlDataSource dataSource, FeedFetch fetch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(fetch);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO OFF"),
                new NpgsqlBatchCommand(
                    """
                    UPDATE feeds SET content_tag = $1, content_changed_at = $2, last_fetched_at = $3, last_user_agent = $4,
                        fetch_count = fetch_count + $5
                    WHERE id = $6
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = fetch.ContentTag },
                        new NpgsqlParameter<Instant> { TypedValue = fetch.ContentChangedAt },
                        new NpgsqlParameter<Instant> { TypedValue = fetch.LastFetchedAt },
                        new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)fetch.LastUserAgent ?? DBNull.Value },
                        new NpgsqlParameter<long> { TypedValue = fetch.FetchesAdded },
                        new NpgsqlParameter<Guid> { TypedValue = fetch.FeedId },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
