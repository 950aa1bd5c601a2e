using System.Security.Claims;
using CommissionPlanner.Data;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Web.Commands;

/// <summary>Recording a person's needs (sensitive: never logged, never in an audit snapshot).</summary>
public sealed class LogisticsCommands(IGrainFactory grains, IDbContextFactory<PlannerDbContext> dbFactory)
{
    /// <summary>
    /// Replaces what is recorded for the person. With <paramref name="expectedVersion"/> (If-Match; 0 while nothing is
    /// recorded) a record changed meanwhile is a conflict naming the current version, and nothing is written.
    /// </summary>
    /// <remarks>
    /// The delegation grain's command takes no expected version, so the version is compared here. A PostgreSQL advisory
    /// lock per person, held in a transaction of its own from the comparison until the grain has answered, makes the
    /// comparison and the write one step for every writer that comes through here, on any silo: two writers holding the
    /// same version cannot both pass. (The grain writes on its own connection and never takes the lock, so nothing waits
    /// in a circle.)
    /// </remarks>
    public async Task<Outcome<Saved>> Set(Guid personId, LogisticsInput input, int? expectedVersion, ClaimsPrincipal caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var key = "person-logistics:" + personId.ToString();
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", ct);
        var delegationId = await db.People.Where(p => p.Id == personId).Select(p => (Guid?)p.DelegationId).SingleOrDefaultAsync(ct);
        var currentVersion = await db.PersonLogistics.Where(l => l.PersonId == personId).Select(l => l.Version).SingleOrDefaultAsync(ct);
        if (delegationId is null)
        {
            return Failure.NotFound("person");
        }

        if (expectedVersion is { } expected && expected != currentVersion)
        {
            return Failure.Conflict(
                $"The person's logistics have changed since you read them (your If-Match is version {expected}, they are now at {currentVersion}). " +
                "Read them again and reapply your change.",
                new Dictionary<string, int> { ["currentVersion"] = currentVersion });
        }

        var errors = new FieldErrors();
        if (LogisticsSpecs.Validate(input, errors) is not { } spec)
        {
            return Failure.Invalid(errors);
        }

        var result = await grains.GetGrain<IDelegationGrain>(delegationId.Value).SetLogistics(personId, spec, caller.Actor());
        await transaction.CommitAsync(ct);
        return result.Succeeded ? Outcome.Success(Saved.From(result, personId)) : Failure.From(result, "person");
    }
}
