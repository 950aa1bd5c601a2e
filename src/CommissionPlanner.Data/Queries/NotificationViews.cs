using System.Text.Json;
using System.Text.Json.Serialization;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace CommissionPlanner.Data.Queries;

/// <summary>
/// What people's calendars show of engagements (<see cref="EventView"/>), read from the rows, and what they were last
/// told (<see cref="NotifiedViewRecord"/>). The notification sender compares the two; switching a programme's
/// notifications on records the first.
/// </summary>
public static class NotificationViews
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    }.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    public static string ToJson(EventView view) => JsonSerializer.Serialize(view, Json);

    public static EventView? FromJson(string json) => JsonSerializer.Deserialize<EventView>(json, Json);

    /// <summary>
    /// The views now of <paramref name="engagementIds"/> for each of <paramref name="personIds"/> who is on their list
    /// (declined included: the rule needs to know of a decline). A person not on an engagement's list has no entry.
    /// </summary>
    public static async Task<Dictionary<(Guid PersonId, Guid EngagementId), EventView>> CurrentAsync(
        PlannerDbContext db, IReadOnlyCollection<Guid> engagementIds, IReadOnlyCollection<Guid>? personIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var engagements = await db.Engagements.AsNoTracking().Where(e => engagementIds.Contains(e.Id)).ToListAsync(ct);
        var venueIds = engagements.SelectMany(e => new[] { e.FromVenueId, e.ToVenueId }).Distinct().ToList();
        var venues = await db.Venues.AsNoTracking().Where(v => venueIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        // Whole lists, in list order: a place on the list depends on everyone's replies.
        var rows = await AttendanceLists.InListOrder(db, db.Attendees.Where(a => engagementIds.Contains(a.EngagementId)))
            .AsNoTracking().Select(r => r.Attendee).ToListAsync(ct);
        var lists = rows.ToLookup(a => a.EngagementId);
        var wanted = personIds is null ? null : personIds.ToHashSet();

        var views = new Dictionary<(Guid, Guid), EventView>();
        foreach (var engagement in engagements)
        {
            var list = lists[engagement.Id].ToList();
            var from = venues[engagement.FromVenueId];
            var places = AttendanceLists.Compute(AttendanceLists.EffectiveCapacity(engagement, from.Capacity), list);
            foreach (var attendee in list)
            {
                if (wanted is null || wanted.Contains(attendee.PersonId))
                {
                    views[(attendee.PersonId, engagement.Id)] = ViewOf(engagement, from, venues[engagement.ToVenueId], attendee, places[attendee.PersonId]);
                }
            }
        }

        return views;
    }

    /// <summary>What the person was last told of each of <paramref name="engagementIds"/> (those never told have no entry).</summary>
    public static async Task<Dictionary<Guid, NotifiedViewRecord>> ToldAsync(
        PlannerDbContext db, Guid personId, IReadOnlyCollection<Guid> engagementIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.NotifiedViews.Where(v => v.PersonId == personId && engagementIds.Contains(v.EngagementId))
            .ToDictionaryAsync(v => v.EngagementId, ct);
    }

    /// <summary>
    /// Records what everyone in the programme is shown now as what they were told, in the caller's unit of work: the
    /// starting point when notifications are switched on (until then their feeds told them). Replaces what was recorded.
    /// </summary>
    public static async Task RecordProgrammeAsync(PlannerDbContext db, Guid programmeId, Instant now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var engagementIds = await db.Engagements.Where(e => e.ProgrammeId == programmeId).Select(e => e.Id).ToListAsync(ct);
        var told = await db.NotifiedViews.Where(v => engagementIds.Contains(v.EngagementId)).ToListAsync(ct);
        db.NotifiedViews.RemoveRange(told);
        foreach (var ((personId, engagementId), view) in await CurrentAsync(db, engagementIds, null, ct))
        {
            db.NotifiedViews.Add(new NotifiedViewRecord { PersonId = personId, EngagementId = engagementId, View = ToJson(view), UpdatedAt = now });
        }
    }

    private static EventView ViewOf(EngagementRecord e, VenueRecord from, VenueRecord to, AttendeeRecord attendee, AttendanceStatus place) => new(
        e.Sequence,
        e.Title,
        EngagementChange.Shown(e.Status, e.ReviewStatus),
        e.StartLocal,
        e.StartZone,
        e.EndLocal,
        e.EndZone,
        PlaceText(from),
        e.ToVenueId == e.FromVenueId ? null : PlaceText(to),
        attendee.Response,
        place.Attendance,
        place.WaitingPosition,
        e.Status == EngagementStatus.Cancelled ? e.CancelReason : null);

    /// <summary>"Name (local name), address, city": what a calendar's LOCATION shows, and what a mail names as the place.</summary>
    private static string PlaceText(VenueRecord v)
    {
        var name = string.IsNullOrWhiteSpace(v.LocalName) || v.LocalName == v.Name ? v.Name : $"{v.Name} ({v.LocalName})";
        return $"{name}, {v.Address}, {v.City}";
    }
}
