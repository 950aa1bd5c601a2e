using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Grains;

internal sealed class DelegationGrain(IDbContextFactory<PlannerDbContext> dbFactory, IClock clock) : Grain, IDelegationGrain
{
    public async Task<CommandResult> Create(Guid programmeId, DelegationSpec spec)
    {
        var id = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        if (!await db.Programmes.AnyAsync(p => p.Id == programmeId))
        {
            return CommandResult.NotFound("programme");
        }

        if (await db.Delegations.AnyAsync(d => d.Id == id))
        {
            return CommandResult.Conflict("A delegation with this id already exists.");
        }

        var now = clock.GetCurrentInstant();
        var record = new DelegationRecord
        {
            Id = id,
            ProgrammeId = programmeId,
            Name = spec.Name,
            Country = spec.Country,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Delegations.Add(record);
        db.Audit(CallerContext.Current(), now, "delegation", id, programmeId, "created", null, AuditTrail.Snapshot(record));
        await db.SaveChangesAsync();
        return CommandResult.Created(id);
    }

    public async Task<CommandResult> AddMember(Guid personId, MemberSpec spec)
    {
        var delegationId = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var delegation = await db.Delegations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == delegationId);
        if (delegation is null)
        {
            return CommandResult.NotFound("delegation");
        }

        if (await db.People.AnyAsync(p => p.DelegationId == delegationId && p.Email == spec.Email))
        {
            return EmailTaken(spec.Email);
        }

        // This grain is the delegation's only writer, so max + 1 cannot race with another add.
        var lastOrder = await db.People.Where(p => p.DelegationId == delegationId).MaxAsync(p => (int?)p.ProtocolOrder) ?? 0;
        var now = clock.GetCurrentInstant();
        var person = new PersonRecord
        {
            Id = personId,
            DelegationId = delegationId,
            ProgrammeId = delegation.ProgrammeId,
            FullName = spec.FullName,
            LocalName = spec.LocalName,
            Organisation = spec.Organisation,
            Title = spec.Title,
            Email = spec.Email,
            Role = DelegateRoles.ToWire(spec.Role),
            ProtocolOrder = lastOrder + 1,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.People.Add(person);
        db.Audit(CallerContext.Current(), now, "person", personId, delegation.ProgrammeId, "created", null, AuditTrail.Snapshot(person));
        try
        {
            await db.SaveChangesAndTouchAsync(delegation.ProgrammeId);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // An import may have added the same e-mail meanwhile; the unique index has the last word.
            return EmailTaken(spec.Email);
        }

        return CommandResult.Created(personId);
    }

    public async Task<CommandResult> SetLogistics(Guid personId, LogisticsSpec spec, string actor)
    {
        var delegationId = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId && p.DelegationId == delegationId);
        if (person is null)
        {
            return CommandResult.NotFound("person");
        }

        var record = await db.PersonLogistics.SingleOrDefaultAsync(l => l.PersonId == personId);
        if (record is null)
        {
            record = new PersonLogisticsRecord { PersonId = personId, UpdatedBy = actor };
            db.PersonLogistics.Add(record);
        }

        // Logistics are sensitive: the audit says which fields changed, never their values.
        var changed = new[]
        {
            ("dietary", record.Dietary != spec.Dietary), ("accessibility", record.Accessibility != spec.Accessibility),
            ("interpreterLanguage", record.InterpreterLanguage != spec.InterpreterLanguage), ("nationality", record.Nationality != spec.Nationality),
            ("securityClearance", record.SecurityClearance != spec.SecurityClearance),
        }.Where(f => f.Item2).Select(f => f.Item1).ToList();
        record.Dietary = spec.Dietary;
        record.Accessibility = spec.Accessibility;
        record.InterpreterLanguage = spec.InterpreterLanguage;
        record.Nationality = spec.Nationality;
        record.SecurityClearance = spec.SecurityClearance;
        record.Version++;
        record.UpdatedAt = clock.GetCurrentInstant();
        record.UpdatedBy = actor;
        db.Audit(CallerContext.Current(), record.UpdatedAt, "person", personId, person.ProgrammeId, "logistics-changed",
            null, AuditTrail.Snapshot(new { fieldsChanged = changed }));
        await db.SaveChangesAndTouchAsync(person.ProgrammeId);
        return CommandResult.Ok(personId);
    }

    private static CommandResult EmailTaken(string email) => new(
        CommandStatus.Conflict,
        Detail: $"{email} is already a member of this delegation.",
        Errors: new Dictionary<string, string[]> { ["email"] = [$"{email} is already a member of this delegation."] });
}
