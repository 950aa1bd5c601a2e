using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Data;

/// <summary>
/// Stored engagement rows in the terms of the domain's change rules (<see cref="EngagementChange"/>), and the one way a
/// decision is written back. The engagement, venue and programme grains and the programme import all go through here,
/// so a change has the same review, SEQUENCE and promotion outcome whichever path it takes.
/// </summary>
public static class EngagementRows
{
    /// <summary>
    /// A reviewer has decided this engagement at some time: the last decision's reviewer and time stay on the row when a
    /// change of facts returns it to required (ReviewRules.Next).
    /// </summary>
    public static bool EverDecided(EngagementRecord engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return engagement.ReviewAt is not null;
    }

    /// <summary>The reviewed facts of a row, with its venues and its programme's agreed areas as given.</summary>
    public static ReviewedFacts FactsOf(EngagementRecord engagement, IReadOnlyDictionary<Guid, VenueRecord> venues, IEnumerable<string> agreedAreas)
    {
        ArgumentNullException.ThrowIfNull(venues);
        return FactsOf(engagement, v => venues[v].Sensitive, agreedAreas);
    }

    /// <summary>The same, with each venue's sensitivity as <paramref name="sensitive"/> says (the import's venues as the document has them).</summary>
    public static ReviewedFacts FactsOf(EngagementRecord engagement, Func<Guid, bool> sensitive, IEnumerable<string> agreedAreas)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        ArgumentNullException.ThrowIfNull(sensitive);
        return ReviewedFacts.Of(engagement.Areas, engagement.FromVenueId, engagement.ToVenueId, engagement.Host,
            sensitive(engagement.FromVenueId) || sensitive(engagement.ToVenueId), agreedAreas);
    }

    /// <summary>The engagement's own capacity, else its (departure) venue's, with the venues as given; null is unlimited.</summary>
    public static int? CapacityOf(EngagementRecord engagement, IReadOnlyDictionary<Guid, VenueRecord> venues)
    {
        ArgumentNullException.ThrowIfNull(venues);
        return Queries.AttendanceLists.EffectiveCapacity(engagement, venues[engagement.FromVenueId].Capacity);
    }

    /// <summary>
    /// A change around an engagement whose own row does not change: its venues' sensitivity, capacity or shown details,
    /// or its programme's agreed areas, as they were and as they will be. The venue, programme and import paths all
    /// describe such a change here.
    /// </summary>
    public static EngagementChange ChangeAround(
        EngagementRecord engagement, Surroundings before, Surroundings after, bool venueDetailsChanged, IReadOnlyList<AttendeeReply> replies)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var status = engagement.Status;
        return new EngagementChange
        {
            StatusBefore = status,
            StatusAfter = status,
            Review = engagement.ReviewStatus,
            EverDecided = EverDecided(engagement),
            FactsBefore = FactsOf(engagement, before.Sensitive, before.AgreedAreas),
            FactsAfter = FactsOf(engagement, after.Sensitive, after.AgreedAreas),
            VenueDetailsChanged = venueDetailsChanged,
            CapacityBefore = Queries.AttendanceLists.EffectiveCapacity(engagement, before.VenueCapacity(engagement.FromVenueId)),
            CapacityAfter = Queries.AttendanceLists.EffectiveCapacity(engagement, after.VenueCapacity(engagement.FromVenueId)),
            Replies = replies,
        };
    }

    /// <summary>
    /// True when a venue's shown details (name, local name, address, city, country, zone, coordinates) differ from the
    /// spec's: every engagement there shows a new LOCATION, so its SEQUENCE goes up.
    /// </summary>
    public static bool ShownDetailsDiffer(VenueRecord venue, Domain.Planning.VenueSpec spec)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(spec);
        return venue.Name != spec.Name || venue.LocalName != spec.LocalName || venue.Address != spec.Address
            || venue.City != spec.City || venue.Country != spec.Country || venue.TimeZone != spec.TimeZone
            || !venue.Latitude.Equals(spec.Point.Latitude) || !venue.Longitude.Equals(spec.Point.Longitude);
    }

    /// <summary>
    /// Writes a decision into the tracked row (review status, SEQUENCE) and records
    /// each promotion; raises the row's Version and UpdatedAt when the row itself changed. True when it did.
    /// </summary>
    public static bool Apply(PlannerDbContext db, EngagementRecord engagement, EngagementChangeDecision decision, Instant now, string promotionReason)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(engagement);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.ReviewChanged)
        {
            engagement.ReviewStatus = decision.Review;
        }

        if (decision.SequenceUp)
        {
            // A calendar takes an event's new time, place or status only when its SEQUENCE goes up.
            engagement.Sequence++;
        }

        foreach (var personId in decision.Promoted)
        {
            db.Promotions.Add(new PromotionRecord { EngagementId = engagement.Id, PersonId = personId, PromotedAt = now, Reason = promotionReason });
        }

        if (!decision.ChangesEngagement)
        {
            return false;
        }

        engagement.Version++;
        engagement.UpdatedAt = now;
        return true;
    }

    /// <summary>The venues the given engagements use (and any extra ids), untracked: the "before" side of a change.</summary>
    public static async Task<Dictionary<Guid, VenueRecord>> VenuesOfAsync(
        PlannerDbContext db, IEnumerable<EngagementRecord> engagements, IEnumerable<Guid> extra, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = engagements.SelectMany(e => new[] { e.FromVenueId, e.ToVenueId }).Concat(extra).Distinct().ToList();
        return await db.Venues.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
    }

    /// <summary>Each engagement's replies, for capacity checks and promotions.</summary>
    public static async Task<Dictionary<Guid, List<AttendeeReply>>> RepliesOfAsync(
        PlannerDbContext db, IReadOnlyCollection<Guid> engagementIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (engagementIds.Count == 0)
        {
            return [];
        }

        var ids = engagementIds.ToList();
        var rows = await db.Attendees.AsNoTracking().Where(a => ids.Contains(a.EngagementId))
            .Select(a => new { a.EngagementId, a.PersonId, a.Response, a.AcceptanceOrder })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.EngagementId)
            .ToDictionary(g => g.Key, g => g.Select(r => new AttendeeReply(r.PersonId, r.Response, r.AcceptanceOrder)).ToList());
    }

    /// <summary>The audit snapshot of an engagement's review and calendar state, for changes made to it from elsewhere.</summary>
    public static string ReviewSnapshot(EngagementRecord engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return AuditTrail.Snapshot(new { engagement.ReviewStatus, engagement.ReviewBy, engagement.ReviewAt, engagement.ReviewNote, engagement.Sequence, engagement.Version });
    }
}

/// <summary>What an engagement's outcome depends on outside its own row, at one moment: its venues and its programme's agreed areas.</summary>
public sealed record Surroundings(Func<Guid, bool> Sensitive, Func<Guid, int?> VenueCapacity, IEnumerable<string> AgreedAreas)
{
    /// <summary>The surroundings with the venues as the dictionary holds them.</summary>
    public static Surroundings Of(IReadOnlyDictionary<Guid, VenueRecord> venues, IEnumerable<string> agreedAreas)
    {
        ArgumentNullException.ThrowIfNull(venues);
        return new Surroundings(v => venues[v].Sensitive, v => venues[v].Capacity, agreedAreas);
    }
}
