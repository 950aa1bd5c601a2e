using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Logistics;

/// <summary>
/// One stay reduced to what the allocation rules need: whose it is, where, which nights (from <see cref="CheckIn"/> up to,
/// not including, <see cref="CheckOut"/>: the dates are the hotel's own), and whose room it shares, if any.
/// </summary>
public sealed record StayNights(Guid StayId, Guid PersonId, string PersonName, Guid HotelId, LocalDate CheckIn, LocalDate CheckOut, Guid? SharingWith)
{
    public bool Covers(LocalDate night) => CheckIn <= night && night < CheckOut;

    /// <summary>A guest sharing someone's room takes no room of the block; the person whose room it is does.</summary>
    public bool HoldsRoom => SharingWith is null;

    public IEnumerable<LocalDate> Nights => RoomAllocation.Nights(CheckIn, CheckOut);
}

/// <summary>Why a stay or a block change is refused (409): a sentence, and the numbers behind it when there are some.</summary>
public sealed record AllocationRefusal(string Detail, IReadOnlyDictionary<string, int>? Numbers = null);

/// <summary>One hotel night: the rooms the programme's block holds (null: no block that night) and how many stays take one.</summary>
public sealed record HotelNight(Guid HotelId, LocalDate Night, int? Rooms, int Allocated);

/// <summary>
/// Rooms against room blocks, and who sleeps where. A programme holds blocks of rooms per hotel and night; every stay
/// that does not share takes one room on each of its nights, and on a night where the hotel has a block, no more rooms may
/// be taken than the block holds (a night without a block is booked outside it, and not counted against anything). A
/// person sleeps in one place a night. A guest shares the room of a person who has their own stay at the same hotel on
/// every one of the guest's nights and shares no one else's; a room is shared by two.
/// </summary>
public static class RoomAllocation
{
    /// <summary>The nights from <paramref name="first"/> up to, not including, <paramref name="end"/>.</summary>
    public static IEnumerable<LocalDate> Nights(LocalDate first, LocalDate end)
    {
        for (var night = first; night < end; night = night.PlusDays(1))
        {
            yield return night;
        }
    }

    /// <summary>The rooms taken at <paramref name="hotelId"/> on <paramref name="night"/>.</summary>
    public static int Allocated(IEnumerable<StayNights> stays, Guid hotelId, LocalDate night)
    {
        ArgumentNullException.ThrowIfNull(stays);
        return stays.Count(s => s.HotelId == hotelId && s.HoldsRoom && s.Covers(night));
    }

    /// <summary>
    /// Null when <paramref name="candidate"/> may replace the stay <paramref name="replacing"/> (either may be null: a new
    /// stay, a removal) among <paramref name="others"/> (the programme's other stays) under <paramref name="blocks"/>;
    /// otherwise why not. Checks, in order: the person has no other stay on those nights; a shared room is shared with
    /// someone staying at the same hotel on all of them, who shares no one else's room and has no other guest; the block
    /// holds a room on each night the stay takes one; and no guest who shares the replaced stay's room is left without it.
    /// </summary>
    public static AllocationRefusal? CheckStay(
        IReadOnlyList<StayNights> others, StayNights? replacing, StayNights? candidate, IReadOnlyDictionary<(Guid Hotel, LocalDate Night), int> blocks)
    {
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(blocks);
        var rest = replacing is null ? others : [.. others.Where(s => s.StayId != replacing.StayId)];

        if (candidate is not null)
        {
            if (rest.FirstOrDefault(s => s.PersonId == candidate.PersonId && Overlap(s, candidate)) is { } own)
            {
                return new($"{candidate.PersonName} already has a stay from {Date(own.CheckIn)} to {Date(own.CheckOut)} on some of these nights; "
                    + "change that stay instead, or choose other dates.");
            }

            if (candidate.SharingWith is { } hostId && SharingProblem(rest, candidate, hostId) is { } sharing)
            {
                return new(sharing);
            }

            if (candidate.HoldsRoom)
            {
                foreach (var night in candidate.Nights)
                {
                    if (blocks.TryGetValue((candidate.HotelId, night), out var rooms) && Allocated(rest, candidate.HotelId, night) + 1 > rooms)
                    {
                        return new(
                            FormattableString.Invariant($"The hotel's block is full on the night of {Date(night)}: {rooms} {Rooms(rooms)} held, all allocated. ")
                            + "Raise the block, or book this stay as sharing a room.",
                            new Dictionary<string, int> { ["rooms"] = rooms, ["allocated"] = Allocated(rest, candidate.HotelId, night), ["requested"] = 1 });
                    }
                }
            }
        }

        if (replacing is not null)
        {
            // A guest whose host moves or leaves would be left in a room no one holds.
            foreach (var guest in rest.Where(s => s.SharingWith == replacing.PersonId && s.HotelId == replacing.HotelId))
            {
                var stillHosted = candidate is not null && candidate.PersonId == replacing.PersonId && candidate.HotelId == guest.HotelId
                    && candidate.HoldsRoom && candidate.CheckIn <= guest.CheckIn && guest.CheckOut <= candidate.CheckOut;
                if (!stillHosted)
                {
                    return new($"{guest.PersonName} shares this room from {Date(guest.CheckIn)} to {Date(guest.CheckOut)}; "
                        + "change or cancel that stay first.");
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Null when the block at <paramref name="hotelId"/> may hold <paramref name="rooms"/> rooms on each of
    /// <paramref name="nights"/>; a refusal naming the first night where more are already allocated.
    /// </summary>
    public static AllocationRefusal? CheckBlock(IReadOnlyList<StayNights> stays, Guid hotelId, IEnumerable<LocalDate> nights, int rooms)
    {
        ArgumentNullException.ThrowIfNull(stays);
        ArgumentNullException.ThrowIfNull(nights);
        foreach (var night in nights)
        {
            var allocated = Allocated(stays, hotelId, night);
            if (allocated > rooms)
            {
                return new(
                    FormattableString.Invariant($"The block cannot be lowered to {rooms} {Rooms(rooms)} on the night of {Date(night)}: {allocated} {Rooms(allocated)} ")
                    + FormattableString.Invariant($"are already allocated. Choose at least {allocated}, or move stays first."),
                    new Dictionary<string, int> { ["rooms"] = rooms, ["allocated"] = allocated });
            }
        }

        return null;
    }

    /// <summary>Every night of <paramref name="hotelId"/> that has a block or a stay, in date order, with its counts.</summary>
    public static IReadOnlyList<HotelNight> Nights(IReadOnlyList<StayNights> stays, Guid hotelId, IReadOnlyDictionary<(Guid Hotel, LocalDate Night), int> blocks)
    {
        ArgumentNullException.ThrowIfNull(stays);
        ArgumentNullException.ThrowIfNull(blocks);
        var nights = stays.Where(s => s.HotelId == hotelId).SelectMany(s => s.Nights)
            .Concat(blocks.Keys.Where(k => k.Hotel == hotelId).Select(k => k.Night))
            .Distinct()
            .Order();
        return [.. nights.Select(n => new HotelNight(hotelId, n, blocks.TryGetValue((hotelId, n), out var rooms) ? rooms : null, Allocated(stays, hotelId, n)))];
    }

    private static string? SharingProblem(IReadOnlyList<StayNights> rest, StayNights guest, Guid hostId)
    {
        if (hostId == guest.PersonId)
        {
            return "A stay cannot share its own room: name the person whose room it shares.";
        }

        var hostStays = rest.Where(s => s.PersonId == hostId && s.HotelId == guest.HotelId).ToList();
        foreach (var night in guest.Nights)
        {
            var host = hostStays.FirstOrDefault(s => s.Covers(night));
            if (host is null)
            {
                return $"The person whose room this stay shares has no stay at this hotel on the night of {Date(night)}: book theirs first.";
            }

            if (!host.HoldsRoom)
            {
                return $"{host.PersonName} shares another person's room on the night of {Date(night)}; a room is shared by two.";
            }

            if (rest.FirstOrDefault(s => s.SharingWith == hostId && s.HotelId == guest.HotelId && s.Covers(night)) is { } other)
            {
                return $"{other.PersonName} already shares {host.PersonName}'s room on the night of {Date(night)}; a room is shared by two.";
            }
        }

        if (rest.Any(s => s.SharingWith == guest.PersonId && s.HotelId == guest.HotelId && Overlap(s, guest)))
        {
            return "Someone already shares this person's room on these nights, so this person cannot share another's.";
        }

        return null;
    }

    private static bool Overlap(StayNights a, StayNights b) => a.CheckIn < b.CheckOut && b.CheckIn < a.CheckOut;

    private static string Date(LocalDate date) => WireTime.FormatDate(date);

    private static string Rooms(int count) => count == 1 ? "room" : "rooms";
}
