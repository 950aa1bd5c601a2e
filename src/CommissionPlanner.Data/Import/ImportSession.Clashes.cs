using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Data.Import;

/// <summary>The import's booking check: every person's bookings as the document leaves them, through ItineraryRules.</summary>
internal sealed partial class ImportSession
{
    private sealed record FinalEngagement(BookedSlot Slot, EngagementStatus Status, bool BookingChanged, EngagementEntry? Entry);

    private sealed record FinalBooking(FinalEngagement Engagement, Guid PersonId, Response Response, bool Changed, AttendeeEntry? Entry);

    /// <summary>
    /// No person may be in two places at once or without time to travel, over every engagement of the programme as it
    /// will be (stored ones absent from the document included). Clashes among bookings the import leaves untouched are
    /// the itineraries' existing warnings, not the import's business; every clash that involves a booking the import
    /// creates or changes is an error.
    /// </summary>
    private void CheckClashes()
    {
        var finals = new List<FinalEngagement>();
        var inDocument = new HashSet<Guid>();
        foreach (var entry in engagements)
        {
            if (entry.Record is not null)
            {
                inDocument.Add(entry.Record.Id);
            }

            if (entry.Plan is not { } plan || entry.UsesInvalidVenue)
            {
                continue;
            }

            var from = VenueById(plan.FromVenueId)!;
            var to = VenueById(plan.ToVenueId)!;
            var slot = new BookedSlot(entry.Id, plan.Title, plan.Kind, plan.StartUtc, plan.EndUtc, from.Place!, to.Place!, plan.Mode);
            var changed = entry.Record is not { } record
                || TimesOrPlaceChanged(record, plan)
                || record.Status != entry.Status
                || from.PlaceChanged || to.PlaceChanged;
            finals.Add(new FinalEngagement(slot, entry.Status, changed, entry));
        }

        foreach (var record in existing.AllEngagements.Where(e => !inDocument.Contains(e.Id)))
        {
            var (from, fromChanged) = StoredPlace(record.FromVenueId);
            var (to, toChanged) = StoredPlace(record.ToVenueId);
            if (from is null || to is null)
            {
                continue;
            }

            var slot = new BookedSlot(record.Id, record.Title, record.Kind, record.StartUtc, record.EndUtc, from, to, record.TravelMode);
            finals.Add(new FinalEngagement(slot, record.Status, fromChanged || toChanged, null));
        }

        var bookings = new List<FinalBooking>();
        foreach (var final in finals)
        {
            var engagementId = final.Slot.EngagementId;
            var stored = existing.AttendeesByEngagement.GetValueOrDefault(engagementId) ?? [];
            var listed = new HashSet<Guid>();
            foreach (var attendee in final.Entry?.Attendees ?? [])
            {
                listed.Add(attendee.Person.Id);
                var row = existing.Attendees.GetValueOrDefault((engagementId, attendee.Person.Id));
                var storedResponse = row?.Response;
                var response = attendee.Response ?? storedResponse ?? Response.NeedsAction;
                bookings.Add(new FinalBooking(final, attendee.Person.Id, response,
                    final.BookingChanged || row is null || storedResponse != response, attendee));
            }

            foreach (var row in stored.Where(a => !listed.Contains(a.PersonId)))
            {
                bookings.Add(new FinalBooking(final, row.PersonId, row.Response, final.BookingChanged, null));
            }
        }

        foreach (var person in bookings
            .Where(b => b.Engagement.Status != EngagementStatus.Cancelled && b.Response != Response.Declined)
            .GroupBy(b => b.PersonId)
            .Where(g => g.Any(b => b.Changed)))
        {
            var byEngagement = person.ToDictionary(b => b.Engagement.Slot.EngagementId);
            foreach (var clash in ItineraryRules.AllClashes([.. person.Select(b => b.Engagement.Slot)], travel))
            {
                var involved = clash.EngagementIds.Select(id => byEngagement[id]).ToList();
                if (!involved.Any(b => b.Changed))
                {
                    continue;
                }

                // Report it at the later engagement's entry for this person when the document has one.
                var at = involved.AsEnumerable().Reverse().FirstOrDefault(b => b.Entry is not null)?.Entry?.Path is { } attendeePath
                    ? $"{attendeePath}.person"
                    : involved.AsEnumerable().Reverse().FirstOrDefault(b => b.Engagement.Entry is not null)?.Engagement.Entry!.Path ?? "engagements";
                var who = DescribePerson(person.Key);
                errors.Add(at, clash.Kind == ClashKind.Overlap
                    ? $"{who} would be in two places at once: {clash.Detail}."
                    : $"{who} cannot get from one engagement to the next in time: {clash.Detail}.");
            }
        }
    }

    private (Place? Place, bool Changed) StoredPlace(Guid venueId)
    {
        if (venues.FirstOrDefault(v => v.Id == venueId && v.Spec is not null) is { } entry)
        {
            return (entry.Place, entry.PlaceChanged);
        }

        return existing.VenuesById.TryGetValue(venueId, out var venue)
            ? (new Place(venue.Id, venue.City, venue.Country, new GeoPoint(venue.Latitude, venue.Longitude)), false)
            : (null, false);
    }

    private string DescribePerson(Guid personId)
    {
        var member = membersByExternalId.Values.FirstOrDefault(m => m.Id == personId);
        if (member is not null)
        {
            return $"{member.Spec?.FullName ?? member.ExternalId} ({member.ExternalId})";
        }

        return existing.PeopleById.TryGetValue(personId, out var person)
            ? $"{person.FullName} ({person.ExternalId ?? person.Id.ToString()})"
            : personId.ToString();
    }

    private static bool TimesOrPlaceChanged(EngagementRecord record, EngagementPlan plan) =>
        record.StartLocal != plan.StartLocal || record.EndLocal != plan.EndLocal
        || record.StartZone != plan.StartZone || record.EndZone != plan.EndZone
        || record.StartUtc != plan.StartUtc || record.EndUtc != plan.EndUtc
        || record.FromVenueId != plan.FromVenueId || record.ToVenueId != plan.ToVenueId;

    private VenueEntry? VenueById(Guid id) => venues.FirstOrDefault(v => v.Id == id);
}
