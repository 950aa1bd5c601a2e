using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;

namespace CommissionPlanner.Data.Import;

/// <summary>
/// The import's use of the rule book (<see cref="EngagementChange"/>): the same review, SEQUENCE, capacity and promotion
/// outcomes as the API's grains give for the same change, for the engagements in the document and for every other
/// engagement a change of the programme's agreed areas or of a shared venue reaches (in this or another programme).
/// </summary>
internal sealed partial class ImportSession
{
    private readonly List<(EngagementRecord Engagement, EngagementChangeDecision Decision, string Before)> reached = [];
    private readonly List<EngagementAudit> engagementAudits = [];

    /// <summary>The first capacity the document would lower below the people attending: the import must not be written.</summary>
    public CapacityRefusal? Refusal { get; private set; }

    /// <summary>Each stored engagement the import changed, with its state before and after, for the audit trail.</summary>
    public IReadOnlyList<EngagementAudit> EngagementAudits => engagementAudits;

    /// <summary>
    /// Every engagement gets its review status by the rules: a new one from its facts; a stored one by what the document
    /// changes of its facts (a decision stands unless they change, then it returns to required). One whose review is
    /// required (or was rejected) cannot be confirmed by the document.
    /// </summary>
    private void CheckReviews()
    {
        if (programmeSpec is null)
        {
            return;
        }

        foreach (var engagement in engagements.Where(e => e.Plan is not null && !e.UsesInvalidVenue))
        {
            var plan = engagement.Plan!;
            var facts = ReviewedFacts.Of(plan.Areas, plan.FromVenueId, plan.ToVenueId, plan.Host,
                SensitiveAfter(plan.FromVenueId) || SensitiveAfter(plan.ToVenueId), programmeSpec.Areas);
            if (engagement.Record is not { } record)
            {
                engagement.Review = ReviewRules.Initial(facts);
            }
            else
            {
                engagement.Change = new EngagementChange
                {
                    StatusBefore = record.Status,
                    StatusAfter = engagement.Status,
                    Review = record.ReviewStatus,
                    EverDecided = EngagementRows.EverDecided(record),
                    FactsBefore = EngagementRows.FactsOf(record, SensitiveBefore, existing.Programme!.Areas),
                    FactsAfter = facts,
                    TimeOrPlaceChanged = TimesOrPlaceChanged(record, plan),
                    VenueDetailsChanged = DetailsChanged(plan.FromVenueId) || DetailsChanged(plan.ToVenueId),
                    CapacityBefore = Queries.AttendanceLists.EffectiveCapacity(record, CapacityBefore(record.FromVenueId)),
                    CapacityAfter = plan.Capacity ?? CapacityAfter(plan.FromVenueId),
                    Replies = StoredReplies(record.Id),
                };
                engagement.Review = engagement.Change.Decide().Review;
            }

            // Confirming is what a pending review forbids, as the API's confirm does; an engagement already confirmed stays so
            // (its feed entry shows TENTATIVE until a reviewer approves), exactly as when the API changes its facts.
            var confirming = engagement.Status == EngagementStatus.Confirmed && engagement.Change?.StatusBefore != EngagementStatus.Confirmed;
            if (confirming && !ReviewRules.AllowsConfirmation(engagement.Review))
            {
                errors.Add($"{engagement.Path}.status", engagement.Review == ReviewStatus.Rejected
                    ? "The research-security review rejected this engagement, so it cannot be confirmed."
                    : "This engagement needs a research-security review (an area outside the programme's agreed areas, or a sensitive venue), "
                      + "so it cannot be imported as confirmed: import it as tentative and confirm it once the review approves it.");
            }
        }

        if (!errors.Any)
        {
            DecideEngagementsOutsideTheDocument();
        }
    }

    /// <summary>
    /// Engagements the document does not list are still reached by what it changes around them: the programme's agreed
    /// areas (this programme's engagements) and a venue's sensitivity, capacity or shown details (engagements of any
    /// programme there). Their replies do not change, so each decision is final here.
    /// </summary>
    private void DecideEngagementsOutsideTheDocument()
    {
        var agreedBefore = existing.Programme?.Areas ?? [];
        var areasChanged = existing.Programme is not null && !agreedBefore.SequenceEqual(programmeSpec!.Areas, StringComparer.Ordinal);
        var changedVenues = venues
            .Where(v => v.Record is { } r && v.Spec is { } s && (r.Sensitive != s.Sensitive || r.Capacity != s.Capacity || EngagementRows.ShownDetailsDiffer(r, s)))
            .Select(v => v.Id)
            .ToHashSet();
        if (!areasChanged && changedVenues.Count == 0)
        {
            return;
        }

        var inDocument = engagements.Where(e => e.Record is not null).Select(e => e.Record!.Id).ToHashSet();
        var ownOthers = existing.AllEngagements.Where(e => !inDocument.Contains(e.Id));
        foreach (var engagement in ownOthers.Concat(existing.Others.Engagements))
        {
            var own = engagement.ProgrammeId == programmeId;
            var atChangedVenue = changedVenues.Contains(engagement.FromVenueId) || changedVenues.Contains(engagement.ToVenueId);
            if (!atChangedVenue && !(own && areasChanged))
            {
                continue;
            }

            var areasBefore = own ? agreedBefore : existing.Others.AgreedAreas[engagement.ProgrammeId];
            var decision = EngagementRows.ChangeAround(engagement,
                new Surroundings(SensitiveBefore, CapacityBefore, areasBefore),
                new Surroundings(SensitiveAfter, CapacityAfter, own ? programmeSpec!.Areas : areasBefore),
                DetailsChanged(engagement.FromVenueId) || DetailsChanged(engagement.ToVenueId),
                own ? StoredReplies(engagement.Id) : existing.Others.Replies.GetValueOrDefault(engagement.Id) ?? []).Decide();
            if (decision.Refusal is { } refusal)
            {
                Refusal ??= refusal with { Detail = refusal.DetailFor(engagement.Title) };
                continue;
            }

            reached.Add((engagement, decision, AuditTrail.Snapshot(engagement)));
        }
    }

    /// <summary>
    /// Writes the rules' decisions, once the attendees' final state is planned: for the document's stored engagements with
    /// their final replies (so a capacity change and reply changes in one document are judged together), then for the
    /// engagements reached from outside the document. Raises versions, records promotions, counts and audits.
    /// </summary>
    private void ApplyRules(PlannerDbContext db)
    {
        // The planned rows per engagement, looked up once: a large import has hundreds of thousands of them.
        var finalReplies = attendeeWrites.ToLookup(w => w.Final.EngagementId, w => w.Final);
        foreach (var engagement in engagements.Where(e => e.Record is not null))
        {
            var record = engagement.Record!;
            var change = engagement.Change!;
            var decision = (change with { RepliesAfter = RepliesAfterImport(record.Id, finalReplies) }).Decide();
            if (decision.Refusal is { } refusal)
            {
                Refusal ??= refusal with { Detail = refusal.DetailFor(record.Title) };
                continue;
            }

            var changedByRules = EngagementRows.Apply(db, record, decision, now, "a place freed by a programme import");
            if (engagement.FieldsChanged && !changedByRules)
            {
                record.Version++;
                record.UpdatedAt = now;
            }

            var changed = engagement.FieldsChanged || changedByRules;
            if (changed)
            {
                changedEngagements.Add(record.Id);
                engagementAudits.Add(new EngagementAudit(record.Id, record.ProgrammeId, engagement.Before!, AuditTrail.Snapshot(record)));
            }

            engagementCounts.Count(changed);
        }

        foreach (var (engagement, decision, before) in reached)
        {
            if (EngagementRows.Apply(db, engagement, decision, now, "a place freed by a programme import"))
            {
                changedEngagements.Add(engagement.Id);
                engagementAudits.Add(new EngagementAudit(engagement.Id, engagement.ProgrammeId, before, AuditTrail.Snapshot(engagement)));
            }
        }
    }

    private List<AttendeeReply> StoredReplies(Guid engagementId) =>
        [.. (existing.AttendeesByEngagement.GetValueOrDefault(engagementId) ?? []).Select(Queries.AttendanceLists.Reply)];

    /// <summary>The list as the import leaves it: the stored rows with the planned writes in their place, and the new ones.</summary>
    private List<AttendeeReply> RepliesAfterImport(Guid engagementId, ILookup<Guid, AttendeeRecord> finalReplies)
    {
        var planned = finalReplies[engagementId].ToDictionary(a => a.PersonId);
        var stored = existing.AttendeesByEngagement.GetValueOrDefault(engagementId) ?? [];
        var rows = stored.Select(a => planned.GetValueOrDefault(a.PersonId) ?? a).ToList();
        var storedPeople = stored.Select(a => a.PersonId).ToHashSet();
        rows.AddRange(planned.Values.Where(a => !storedPeople.Contains(a.PersonId)));
        return [.. rows.Select(Queries.AttendanceLists.Reply)];
    }

    // A venue as stored (before the import) and as the document leaves it; venues the document does not list stay as stored.
    private bool SensitiveBefore(Guid venueId) => existing.VenuesById[venueId].Sensitive;

    private bool SensitiveAfter(Guid venueId) => VenueById(venueId)?.Spec is { } spec ? spec.Sensitive : existing.VenuesById[venueId].Sensitive;

    private int? CapacityBefore(Guid venueId) => existing.VenuesById[venueId].Capacity;

    private int? CapacityAfter(Guid venueId) => VenueById(venueId)?.Spec is { } spec ? spec.Capacity : existing.VenuesById[venueId].Capacity;

    private bool DetailsChanged(Guid venueId) =>
        VenueById(venueId) is { Record: { } record, Spec: { } spec } && EngagementRows.ShownDetailsDiffer(record, spec);
}

/// <summary>One engagement the import changed: what the audit trail records for it.</summary>
public sealed record EngagementAudit(Guid EngagementId, Guid ProgrammeId, string Before, string After);
