using CommissionPlanner.Domain.Languages;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Members;
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
        var person = NewPerson(personId, delegation, spec, lastOrder + 1, now);
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

        // Someone may have asked for this person's itinerary before they existed; that grain holds "no such person".
        ItineraryNotices.TellPeople(GrainFactory, [personId]);
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
        SetLogistics(db, person, record, spec, actor, clock.GetCurrentInstant());
        await db.SaveChangesAndTouchAsync(person.ProgrammeId);
        return CommandResult.Ok(personId);
    }

    public async Task<CommandResult> SetLanguages(Guid personId, LanguageSpec spec, int? expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var delegationId = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId && p.DelegationId == delegationId);
        if (person is null)
        {
            return CommandResult.NotFound("person");
        }

        if (expectedVersion is { } expected && person.Version != expected)
        {
            return CommandResult.Stale("person", person.Version, expected, versionFromClient: true);
        }

        if (LanguageSpec.FromStored(person.Languages, person.Interprets) == spec)
        {
            return CommandResult.Ok(personId);
        }

        var before = AuditTrail.Snapshot(new { person.Languages, person.Interprets });
        var now = clock.GetCurrentInstant();
        person.Languages = [.. spec.Languages];
        person.Interprets = [.. spec.InterpretsWire];
        person.Version++;
        person.UpdatedAt = now;
        db.Audit(CallerContext.Current(), now, "person", personId, person.ProgrammeId, "languages-changed", before,
            AuditTrail.Snapshot(new { person.Languages, person.Interprets }));
        try
        {
            await db.SaveChangesAndTouchAsync(person.ProgrammeId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The person changed while your request was applied. Send the request again.");
        }

        // The commit moved the list revision of every engagement the person is on (a trigger: migration PersonLanguages);
        // their attendees hear it now rather than at their next revision check.
        var engagementIds = await db.Attendees.AsNoTracking().Where(a => a.PersonId == personId).Select(a => a.EngagementId).ToListAsync();
        await ItineraryNotices.TellAttendeesAsync(GrainFactory, db, engagementIds);
        ItineraryNotices.TellPeople(GrainFactory, [personId]);
        return CommandResult.Ok(personId);
    }

    public async Task<CommandResult> Update(DelegationSpec spec, int expectedVersion, bool versionFromClient)
    {
        var id = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Delegations.SingleOrDefaultAsync(d => d.Id == id);
        if (record is null)
        {
            return CommandResult.NotFound("delegation");
        }

        if (record.Version != expectedVersion)
        {
            return CommandResult.Stale("delegation", record.Version, expectedVersion, versionFromClient);
        }

        var before = AuditTrail.Snapshot(record);
        record.Name = spec.Name;
        record.Country = spec.Country;
        record.Version++;
        record.UpdatedAt = clock.GetCurrentInstant();
        db.Audit(CallerContext.Current(), record.UpdatedAt, "delegation", id, record.ProgrammeId, "updated", before, AuditTrail.Snapshot(record));
        try
        {
            await db.SaveChangesAndTouchAsync(record.ProgrammeId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The delegation changed while your request was applied. Send the request again.");
        }

        return CommandResult.Ok(id);
    }

    public async Task<CommandResult> UpdateMember(Guid personId, MemberSpec spec, int? protocolOrder, int expectedVersion, bool versionFromClient, bool? notify = null)
    {
        var delegationId = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var members = await db.People.Where(p => p.DelegationId == delegationId).OrderBy(p => p.ProtocolOrder).ThenBy(p => p.CreatedAt).ToListAsync();
        var person = members.SingleOrDefault(p => p.Id == personId);
        if (person is null)
        {
            return CommandResult.NotFound("person");
        }

        if (person.Version != expectedVersion)
        {
            return CommandResult.Stale("person", person.Version, expectedVersion, versionFromClient);
        }

        if (members.Any(p => p.Id != personId && p.Email == spec.Email))
        {
            return EmailTaken(spec.Email);
        }

        if (protocolOrder is { } position && (position < 1 || position > members.Count))
        {
            return CommandResult.Invalid("protocolOrder", $"'protocolOrder' must be a position from 1 to {members.Count} in this delegation.");
        }

        var before = AuditTrail.Snapshot(person);
        var now = clock.GetCurrentInstant();
        Apply(person, spec, now);
        person.Notify = notify ?? person.Notify;
        if (protocolOrder is { } target)
        {
            // Take the member out, put them back at the position asked for, and number everyone 1..n again.
            var order = members.Where(p => p.Id != personId).ToList();
            order.Insert(target - 1, person);
            for (var i = 0; i < order.Count; i++)
            {
                var member = order[i];
                if (member.ProtocolOrder != i + 1)
                {
                    member.ProtocolOrder = i + 1;
                    if (member.Id != personId)
                    {
                        member.Version++;
                        member.UpdatedAt = now;
                    }
                }
            }
        }

        db.Audit(CallerContext.Current(), now, "person", personId, person.ProgrammeId, "updated", before, AuditTrail.Snapshot(person));
        try
        {
            await db.SaveChangesAndTouchAsync(person.ProgrammeId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The delegation's members changed while your request was applied. Send the request again.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return EmailTaken(spec.Email);
        }

        // Itineraries show the person (and their protocol order, which a move renumbers for the others).
        ItineraryNotices.TellPeople(GrainFactory, members.Select(m => m.Id));
        return CommandResult.Ok(personId);
    }

    /// <summary>
    /// Applies a member sheet: decides every row on the members as they are now (<see cref="MemberImport.Decide"/>) and,
    /// unless <paramref name="commit"/> is false or a row is refused, writes every created and updated member, their needs
    /// and the mapping in one transaction. Rows that change nothing write nothing, so the same sheet twice writes once.
    /// </summary>
    public async Task<MemberImportAnswer> ImportMembers(MemberSheetReading sheet, bool commit, string actor)
    {
        var delegationId = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var delegation = await db.Delegations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == delegationId);
        if (delegation is null)
        {
            return new MemberImportAnswer(CommandResult.NotFound("delegation"), [], false);
        }

        var members = await db.People.Where(p => p.DelegationId == delegationId).OrderBy(p => p.ProtocolOrder).ThenBy(p => p.CreatedAt).ToListAsync();
        var ids = members.Select(m => m.Id).ToList();
        var logistics = await db.PersonLogistics.Where(l => ids.Contains(l.PersonId)).ToDictionaryAsync(l => l.PersonId);
        var existing = members.Select(m => new ExistingMember(m.Id, SpecOf(m), NeedsOf(logistics.GetValueOrDefault(m.Id)))).ToList();
        var plan = MemberImport.Decide(sheet.Rows, sheet.Mapped, existing, Guid.CreateVersion7);
        var counts = ImportCounts.Of(plan);
        var mappingJson = System.Text.Json.JsonSerializer.Serialize(sheet.Remembered());
        var storedMapping = await db.MemberSheetMappings.SingleOrDefaultAsync(m => m.DelegationId == delegationId);
        var mappingChanged = storedMapping is null || !SameMapping(storedMapping.Mapping, mappingJson);
        if (!commit || counts.Refused > 0 || (!counts.WritesSomething() && !mappingChanged))
        {
            return new MemberImportAnswer(CommandResult.Ok(delegationId), plan, false);
        }

        var now = clock.GetCurrentInstant();
        var caller = CallerContext.Current();
        var byId = members.ToDictionary(m => m.Id);
        var nextOrder = members.Count == 0 ? 1 : members.Max(m => m.ProtocolOrder) + 1;
        foreach (var row in plan.Where(r => r.Outcome is RowOutcome.Created or RowOutcome.Updated))
        {
            var personId = row.PersonId!.Value;
            PersonRecord person;
            if (row.Outcome == RowOutcome.Created)
            {
                person = NewPerson(personId, delegation, row.Member!, nextOrder++, now);
                db.People.Add(person);
                db.Audit(caller, now, "person", personId, delegation.ProgrammeId, "created", null, AuditTrail.Snapshot(person));
            }
            else
            {
                person = byId[personId];
                if (row.MemberChanged)
                {
                    var before = AuditTrail.Snapshot(person);
                    Apply(person, row.Member!, now);
                    db.Audit(caller, now, "person", personId, delegation.ProgrammeId, "updated", before, AuditTrail.Snapshot(person));
                }
            }

            if (row.NeedsChanged)
            {
                SetLogistics(db, person, logistics.GetValueOrDefault(personId), row.Needs!, actor, now);
            }
        }

        if (storedMapping is null)
        {
            db.MemberSheetMappings.Add(new MemberSheetMappingRecord { DelegationId = delegationId, Mapping = mappingJson, UpdatedAt = now });
        }
        else if (mappingChanged)
        {
            storedMapping.Mapping = mappingJson;
            storedMapping.UpdatedAt = now;
        }

        try
        {
            // One SaveChanges: EF Core wraps every row (people, needs, audit entries, the mapping) in one transaction.
            await db.SaveChangesAndTouchAsync(delegation.ProgrammeId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new MemberImportAnswer(CommandResult.Conflict("The delegation's members changed while the sheet was applied. Send it again."), plan, false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new MemberImportAnswer(CommandResult.Conflict("A member with one of the sheet's e-mails was added while it was applied. Send it again."), plan, false);
        }

        if (counts.WritesSomething())
        {
            ItineraryNotices.TellPeople(GrainFactory, plan.Where(r => r.Outcome is RowOutcome.Created or RowOutcome.Updated).Select(r => r.PersonId!.Value));
        }

        return new MemberImportAnswer(CommandResult.Ok(delegationId), plan, counts.WritesSomething());
    }

    /// <summary>The mapping last committed for this delegation (header → field wire name), or null.</summary>
    public async Task<string?> RememberedMapping()
    {
        var delegationId = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.MemberSheetMappings.Where(m => m.DelegationId == delegationId).Select(m => m.Mapping).SingleOrDefaultAsync();
    }

    private static PersonRecord NewPerson(Guid personId, DelegationRecord delegation, MemberSpec spec, int protocolOrder, Instant now) => new()
    {
        Id = personId,
        DelegationId = delegation.Id,
        ProgrammeId = delegation.ProgrammeId,
        FullName = spec.FullName,
        LocalName = spec.LocalName,
        Organisation = spec.Organisation,
        Title = spec.Title,
        Email = spec.Email,
        Role = spec.Role,
        ProtocolOrder = protocolOrder,
        Version = 1,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static void Apply(PersonRecord person, MemberSpec spec, Instant now)
    {
        person.FullName = spec.FullName;
        person.LocalName = spec.LocalName;
        person.Organisation = spec.Organisation;
        person.Title = spec.Title;
        person.Email = spec.Email;
        person.Role = spec.Role;
        person.Version++;
        person.UpdatedAt = now;
    }

    private static MemberSpec SpecOf(PersonRecord person) =>
        new(person.FullName, person.LocalName, person.Organisation, person.Title, person.Email, person.Role);

    private static LogisticsSpec NeedsOf(PersonLogisticsRecord? record) => record is null
        ? new LogisticsSpec(null, null, null, null, null)
        : new LogisticsSpec(record.Dietary, record.Accessibility, record.InterpreterLanguage, record.Nationality, record.SecurityClearance);

    /// <summary>Records a person's needs (a new record when none exists) with an audit entry that names the fields changed, never their values.</summary>
    private static void SetLogistics(PlannerDbContext db, PersonRecord person, PersonLogisticsRecord? record, LogisticsSpec spec, string actor, Instant now)
    {
        if (record is null)
        {
            record = new PersonLogisticsRecord { PersonId = person.Id, UpdatedBy = actor };
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
        record.UpdatedAt = now;
        record.UpdatedBy = actor;
        db.Audit(CallerContext.Current(), now, "person", person.Id, person.ProgrammeId, "logistics-changed",
            null, AuditTrail.Snapshot(new { fieldsChanged = changed }));
    }

    private static bool SameMapping(string stored, string json)
    {
        var a = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [];
        var b = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        return a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);
    }

    private static CommandResult EmailTaken(string email) => new(
        CommandStatus.Conflict,
        Detail: $"{email} is already a member of this delegation.",
        Errors: new Dictionary<string, string[]> { ["email"] = [$"{email} is already a member of this delegation."] });
}
