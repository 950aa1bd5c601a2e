using NodaTime;
using Npgsql;

namespace CommissionPlanner.Data;

/// <summary>What is stored for an Idempotency-Key (<see cref="Entities.IdempotentRequestRecord"/>).</summary>
public sealed record StoredRequest(
    byte[] RequestHash, Guid Claim, string ClaimedBy, Instant ClaimedAt, Instant? AppliedAt, Guid? AppliedEntityId, StoredAnswer? Answer)
{
    public bool Applied => AppliedAt is not null;
}

/// <summary>The answer kept for repeats; no body when it held a secret shown once.</summary>
public sealed record StoredAnswer(int Status, string? ContentType, string? Location, byte[]? Body, bool Withheld);

/// <summary>
/// The claims of requests sent with an Idempotency-Key, in PostgreSQL. A request claims its key before it runs; the change
/// it makes applies the claim in its own transaction (the trigger <c>apply_request_claim</c> on <c>audit_entries</c>: every
/// change writes its audit entries in its transaction, whichever path writes it), and raises CP002 when the claim was
/// taken over or already applied by another transaction. So PostgreSQL decides, never a guess, whether a request that
/// lost its server was applied.
/// </summary>
/// <remarks>
/// These statements run on connections of their own, outside EF Core, so they do not advance <see cref="LocalWrites"/>:
/// claiming and answering change nothing a feed shows.
/// </remarks>
public static class RequestClaims
{
    /// <summary>The SQLSTATE the trigger raises when a change runs under a claim it no longer holds.</summary>
    public const string LostClaimSqlState = "CP002";

    private const string Columns =
        "request_hash, claim, claimed_by, claimed_at, applied_at, applied_entity_id, answer_status, answer_content_type, answer_location, answer_body, answer_withheld";

    public static bool IsLostClaim(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: LostClaimSqlState })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Claims the key for a new attempt (also when what was stored for it has expired) and answers null; or answers what is
    /// stored for it.
    /// </summary>
    public static async Task<StoredRequest?> ClaimAsync(
        NpgsqlDataSource dataSource, string scope, string key, byte[] requestHash, Guid claim, string claimedBy, Duration kept,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO idempotent_requests (scope, key, request_hash, claim, claimed_by, claimed_at, answer_withheld)
            VALUES ($1, $2, $3, $4, $5, now(), false)
            ON CONFLICT (scope, key) DO UPDATE SET
                request_hash = excluded.request_hash, claim = excluded.claim, claimed_by = excluded.claimed_by,
                claimed_at = excluded.claimed_at, applied_at = NULL, applied_transaction = NULL, applied_entity_id = NULL,
                answer_status = NULL, answer_content_type = NULL, answer_location = NULL, answer_body = NULL, answer_withheld = false
            WHERE idempotent_requests.claimed_at < now() - $6
            """, connection))
        {
            insert.Parameters.Add(new() { Value = scope });
            insert.Parameters.Add(new() { Value = key });
            insert.Parameters.Add(new() { Value = requestHash });
            insert.Parameters.Add(new() { Value = claim });
            insert.Parameters.Add(new() { Value = claimedBy });
            insert.Parameters.Add(new() { Value = kept.ToTimeSpan() });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return null;
            }
        }

        await using var read = new NpgsqlCommand($"SELECT {Columns} FROM idempotent_requests WHERE scope = $1 AND key = $2", connection);
        read.Parameters.Add(new() { Value = scope });
        read.Parameters.Add(new() { Value = key });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        // Swept between the two statements: as good as new, but the caller tries again rather than loop here.
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : throw new InvalidOperationException("The key's entry vanished; try again.");
    }

    /// <summary>What is stored under <paramref name="claim"/>, or null when that claim was taken over.</summary>
    public static async Task<StoredRequest?> ReadAsync(NpgsqlDataSource dataSource, Guid claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var read = dataSource.CreateCommand($"SELECT {Columns} FROM idempotent_requests WHERE claim = $1");
        read.Parameters.Add(new() { Value = claim });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Replaces the claim of an attempt whose server is gone, if nothing was applied under it meanwhile.</summary>
    public static async Task<bool> TakeOverAsync(
        NpgsqlDataSource dataSource, Guid oldClaim, Guid newClaim, string claimedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        // A transaction still applying the old claim holds the row: this waits for it, then sees it applied.
        await using var update = dataSource.CreateCommand(
            "UPDATE idempotent_requests SET claim = $2, claimed_by = $3, claimed_at = now() WHERE claim = $1 AND applied_at IS NULL");
        update.Parameters.Add(new() { Value = oldClaim });
        update.Parameters.Add(new() { Value = newClaim });
        update.Parameters.Add(new() { Value = claimedBy });
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Keeps the answer for repeats; false when the claim was taken over meanwhile.</summary>
    public static async Task<bool> AnswerAsync(NpgsqlDataSource dataSource, Guid claim, StoredAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(answer);
        await using var update = dataSource.CreateCommand(
            """
            UPDATE idempotent_requests
            SET answer_status = $2, answer_content_type = $3, answer_location = $4, answer_body = $5, answer_withheld = $6
            WHERE claim = $1 AND answer_status IS NULL
            """);
        update.Parameters.Add(new() { Value = claim });
        update.Parameters.Add(new() { Value = answer.Status });
        update.Parameters.Add(new() { Value = (object?)answer.ContentType ?? DBNull.Value });
        update.Parameters.Add(new() { Value = (object?)answer.Location ?? DBNull.Value });
        update.Parameters.Add(new() { Value = (object?)answer.Body ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
        update.Parameters.Add(new() { Value = answer.Withheld });
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Gives the key up when nothing was applied under the claim, so that a retry does the request afresh. False when a
    /// change applied it after all (it committed while this waited for its lock), or the claim was taken over.
    /// </summary>
    public static async Task<bool> ReleaseAsync(NpgsqlDataSource dataSource, Guid claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var delete = dataSource.CreateCommand("DELETE FROM idempotent_requests WHERE claim = $1 AND applied_at IS NULL");
        delete.Parameters.Add(new() { Value = claim });
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Forgets keys older than <paramref name="kept"/>; answers how many.</summary>
    public static async Task<int> SweepAsync(NpgsqlDataSource dataSource, Duration kept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var delete = dataSource.CreateCommand("DELETE FROM idempotent_requests WHERE claimed_at < now() - $1");
        delete.Parameters.Add(new() { Value = kept.ToTimeSpan() });
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static StoredRequest Read(NpgsqlDataReader reader) => new(
        reader.GetFieldValue<byte[]>(0),
        reader.GetGuid(1),
        reader.GetString(2),
        reader.GetFieldValue<Instant>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<Instant>(4),
        reader.IsDBNull(5) ? null : reader.GetGuid(5),
        reader.IsDBNull(6)
            ? null
            : new StoredAnswer(
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<byte[]>(9),
                reader.GetBoolean(10)));
}
