using System.Runtime.CompilerServices;

namespace CommissionPlanner.Domain;

/// <summary>
/// Finds the clashes in one person's schedule: engagements that overlap, and consecutive
/// engagements too far apart to travel between in the time available. The caller decides which
/// engagements count (typically not cancelled and not declined).
/// </summary>
public static class ItineraryRules
{
    // AllClashes and the helpers it calls for every booking are compiled optimised at their first call
    // (AggressiveOptimization) rather than through tiered compilation's unoptimised first tier: a programme's conflict list
    // runs them for every person (20,000 people, 200,000 bookings in the scale test), and the first lists after a start
    // spent 0.7-1.2 s in them against 0.06-0.1 s once the runtime had re-compiled them (docs/performance.md,
    // "Conflicts: the first call"). The rules themselves are unchanged.

    /// <summary>
    /// The clashes that booking <paramref name="candidate"/> would cause: one <see cref="ClashKind.Overlap"/>
    /// per existing slot it overlaps, and a <see cref="ClashKind.Travel"/> clash when there is too little
    /// time to get from its immediate predecessor (the latest slot ending at or before its start) or to
    /// its immediate successor (the earliest slot starting at or after its end). Every clash lists the
    /// candidate's id first. A slot with the candidate's own id is ignored, so a rescheduled engagement
    /// can be checked against a list that still holds its old times.
    /// </summary>
    public static IReadOnlyList<Clash> ClashesWith(IReadOnlyList<BookedSlot> existing, BookedSlot candidate, TravelOptions options)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(options);

        var others = existing.Where(s => s.EngagementId != candidate.EngagementId).ToList();
        var found = new List<(BookedSlot Other, Clash Clash)>();

        foreach (var other in others.Where(candidate.Overlaps))
        {
            found.Add((other, OverlapClash(candidate, other, [candidate.EngagementId, other.EngagementId], options)));
        }

        if (Predecessor(others, candidate) is { } predecessor
            && TravelClash(predecessor, candidate, [candidate.EngagementId, predecessor.EngagementId], options) is { } before)
        {
            found.Add((predecessor, before));
        }

        // A zero-length candidate could find the same slot as both neighbours; report it once.
        if (Successor(others, candidate) is { } successor
            && !found.Exists(f => f.Other.EngagementId == successor.EngagementId && f.Clash.Kind == ClashKind.Travel)
            && TravelClash(candidate, successor, [candidate.EngagementId, successor.EngagementId], options) is { } after)
        {
            found.Add((successor, after));
        }

        return
        [
            .. found
                .OrderBy(f => f.Other.Start)
                .ThenBy(f => f.Other.EngagementId)
                .ThenBy(f => f.Clash.Kind)
                .Select(f => f.Clash),
        ];
    }

    /// <summary>
    /// Every clash within an itinerary, for its warnings: each overlapping pair once, and the travel
    /// check between each slot and its immediate predecessor and successor (the same neighbours
    /// <see cref="ClashesWith"/> uses, so a clash raised when booking is also listed here). Each clash
    /// lists the earlier engagement first; clashes are ordered by the earlier engagement's start, then id,
    /// then the later one's. A slot repeated with the same id is considered once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static IReadOnlyList<Clash> AllClashes(IReadOnlyList<BookedSlot> slots, TravelOptions options)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(options);

        var ordered = slots
            .DistinctBy(s => s.EngagementId)
            .OrderBy(s => s.Start)
            .ThenBy(s => s.EngagementId)
            .ToList();

        var found = new List<(BookedSlot First, BookedSlot Second, Clash Clash)>();

        for (var i = 0; i < ordered.Count; i++)
        {
            var first = ordered[i];

            // Sorted by start: once a slot starts at or after this one's end, so do all that follow.
            for (var j = i + 1; j < ordered.Count && ordered[j].Start < first.End; j++)
            {
                var second = ordered[j];
                if (first.Overlaps(second))
                {
                    found.Add((first, second, OverlapClash(first, second, [first.EngagementId, second.EngagementId], options)));
                }
            }
        }

        var travelPairs = new HashSet<(Guid, Guid)>();
        foreach (var slot in ordered)
        {
            // The neighbours among the others: both skip the slot's own id.
            if (Predecessor(ordered, slot) is { } predecessor)
            {
                travelPairs.Add((predecessor.EngagementId, slot.EngagementId));
            }

            if (Successor(ordered, slot) is { } successor)
            {
                travelPairs.Add((slot.EngagementId, successor.EngagementId));
            }
        }

        var byId = ordered.ToDictionary(s => s.EngagementId);
        foreach (var (earlierId, laterId) in travelPairs)
        {
            var earlier = byId[earlierId];
            var later = byId[laterId];
            if (TravelClash(earlier, later, [earlierId, laterId], options) is { } clash)
            {
                found.Add((earlier, later, clash));
            }
        }

        return
        [
            .. found
                .OrderBy(f => f.First.Start)
                .ThenBy(f => f.First.EngagementId)
                .ThenBy(f => f.Second.Start)
                .ThenBy(f => f.Second.EngagementId)
                .ThenBy(f => f.Clash.Kind)
                .Select(f => f.Clash),
        ];
    }

    /// <summary>
    /// The latest slot ending at or before <paramref name="slot"/> starts (ties: the later start, then the smaller id),
    /// among those without its id. One pass without allocating: a programme's conflict list asks this of every booking
    /// (200,000 in the scale test, docs/performance.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BookedSlot? Predecessor(List<BookedSlot> others, BookedSlot slot)
    {
        BookedSlot? best = null;
        for (var i = 0; i < others.Count; i++)
        {
            var o = others[i];
            if (o.EngagementId == slot.EngagementId || o.End > slot.Start)
            {
                continue;
            }

            if (best is null
                || o.End > best.End
                || (o.End == best.End && (o.Start > best.Start || (o.Start == best.Start && o.EngagementId.CompareTo(best.EngagementId) < 0))))
            {
                best = o;
            }
        }

        return best;
    }

    /// <summary>
    /// The earliest slot starting at or after <paramref name="slot"/> ends (ties: the earlier end, then the smaller id),
    /// among those without its id; one pass, as <see cref="Predecessor"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BookedSlot? Successor(List<BookedSlot> others, BookedSlot slot)
    {
        BookedSlot? best = null;
        for (var i = 0; i < others.Count; i++)
        {
            var o = others[i];
            if (o.EngagementId == slot.EngagementId || o.Start < slot.End)
            {
                continue;
            }

            if (best is null
                || o.Start < best.Start
                || (o.Start == best.Start && (o.End < best.End || (o.End == best.End && o.EngagementId.CompareTo(best.EngagementId) < 0))))
            {
                best = o;
            }
        }

        return best;
    }

    /// <summary>
    /// Two slots whose times overlap: an overlap, unless they are a connection missed, a road transfer meeting a flight or
    /// train in the same city (a pickup that leaves before the arrival, a drop-off that arrives after the departure),
    /// which is a travel clash with the minutes short. Either way the times overlap.
    /// </summary>
    private static Clash OverlapClash(BookedSlot a, BookedSlot b, Guid[] ids, TravelOptions options)
    {
        var (first, second) = a.Start < b.Start || (a.Start == b.Start && a.End <= b.End) ? (a, b) : (b, a);
        if (first.IsScheduled && second.IsRoad && second.End > first.End && first.To.IsSameCityAs(second.From))
        {
            var early = first.End - second.Start;
            return new Clash(ClashKind.Travel, ids,
                $"The pickup '{second.Title}' leaves {second.From.City.Trim()} {DurationText.HoursAndMinutes(early)} before '{first.Title}' arrives; "
                + "it must leave after the arrival")
            { MinutesShort = WholeMinutes(early), TimesOverlap = true };
        }

        if (first.IsRoad && second.IsScheduled && first.End <= second.End && first.To.IsSameCityAs(second.From))
        {
            var margin = options.CheckInBefore(second);
            var late = first.End - second.Start;
            return new Clash(ClashKind.Travel, ids,
                $"The drop-off '{first.Title}' arrives in {first.To.City.Trim()} {DurationText.HoursAndMinutes(late)} after '{second.Title}' departs; "
                + $"it must arrive {DurationText.HoursAndMinutes(margin)} before the departure")
            { MinutesShort = WholeMinutes(late + margin), TimesOverlap = true };
        }

        return new Clash(ClashKind.Overlap, ids, $"'{a.Title}' overlaps '{b.Title}'") { TimesOverlap = true };
    }

    /// <summary>A shortfall in whole minutes, rounded up: 30 seconds short is still a minute short.</summary>
    private static int WholeMinutes(Duration duration) => (int)Math.Ceiling(duration.TotalMinutes);

    /// <summary>A travel clash when the gap between the two slots is shorter than the transfer needs, otherwise null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Clash? TravelClash(BookedSlot earlier, BookedSlot later, Guid[] ids, TravelOptions options)
    {
        var gap = later.Start - earlier.End;
        var required = TransferEstimate.Required(earlier.To, later.From, options);
        // A drop-off for a flight or train must arrive the check-in margin before it leaves, on top of any transfer.
        var checkIn = earlier.IsRoad ? options.CheckInBefore(later) : Duration.Zero;
        if (gap >= required + checkIn)
        {
            return null;
        }

        var gapText = gap <= Duration.Zero ? "No time" : $"Only {DurationText.HoursAndMinutes(gap)}";
        if (checkIn > Duration.Zero)
        {
            return new Clash(ClashKind.Travel, ids,
                $"{gapText} between the drop-off '{earlier.Title}' arriving in {earlier.To.City.Trim()} and '{later.Title}' departing; "
                + $"it must arrive {DurationText.HoursAndMinutes(required + checkIn)} before the departure")
            { MinutesShort = WholeMinutes(required + checkIn - gap) };
        }

        var detail = earlier.To.IsSameCityAs(later.From)
            ? $"{gapText} between '{earlier.Title}' and '{later.Title}' at different venues in {earlier.To.City.Trim()}; "
              + $"moving between them needs about {DurationText.HoursAndMinutes(required)}"
            : $"{gapText} between '{earlier.Title}' in {earlier.To.City.Trim()} and '{later.Title}' in {later.From.City.Trim()}; "
              + $"the transfer needs about {DurationText.HoursAndMinutes(required)}";
        return new Clash(ClashKind.Travel, ids, detail) { MinutesShort = WholeMinutes(required - gap) };
    }
}
