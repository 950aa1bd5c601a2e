using CommissionPlanner.Domain.Logistics;

namespace CommissionPlanner.Domain.Tests.Logistics;

public class RoomAllocationTests
{
    private static readonly Guid Wenjin = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Garden = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
    private static readonly Dictionary<(Guid Hotel, LocalDate Night), int> NoBlocks = [];

    private static LocalDate D(int day) => new(2025, 11, day);

    private static StayNights Stay(string name, Guid hotel, int checkIn, int checkOut, StayNights? sharing = null) =>
        new(Guid.NewGuid(), PersonOf(name), name, hotel, D(checkIn), D(checkOut), sharing?.PersonId);

    private static readonly Dictionary<string, Guid> People = new(StringComparer.Ordinal);

    private static Guid PersonOf(string name)
    {
        lock (People)
        {
            return People.TryGetValue(name, out var id) ? id : People[name] = Guid.NewGuid();
        }
    }

    private static Dictionary<(Guid Hotel, LocalDate Night), int> Block(Guid hotel, int first, int last, int rooms) =>
        RoomAllocation.Nights(D(first), D(last + 1)).ToDictionary(n => (hotel, n), _ => rooms);

    [Fact]
    public void Each_stay_takes_a_room_a_night_and_a_full_block_refuses_the_next_with_the_numbers()
    {
        var blocks = Block(Wenjin, 10, 11, 2);
        StayNights[] others = [Stay("Minister", Wenjin, 10, 12), Stay("Academic", Wenjin, 11, 12)];

        var refusal = RoomAllocation.CheckStay(others, null, Stay("Official", Wenjin, 10, 12), blocks);

        Assert.NotNull(refusal);
        Assert.Contains("night of 2025-11-11", refusal.Detail, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, int> { ["rooms"] = 2, ["allocated"] = 2, ["requested"] = 1 }, refusal.Numbers);
        Assert.Null(RoomAllocation.CheckStay(others, null, Stay("Official", Wenjin, 10, 11), blocks));
    }

    [Fact]
    public void A_night_without_a_block_is_booked_outside_it_and_counts_against_nothing()
    {
        var blocks = Block(Wenjin, 10, 10, 1);
        StayNights[] others = [Stay("Minister", Wenjin, 10, 11)];

        Assert.Null(RoomAllocation.CheckStay(others, null, Stay("Late arrival", Wenjin, 11, 13), blocks));
        Assert.NotNull(RoomAllocation.CheckStay(others, null, Stay("Early arrival", Wenjin, 9, 11), blocks));
    }

    [Fact]
    public void A_person_sleeps_in_one_place_a_night_whichever_the_hotel()
    {
        var beijing = Stay("Minister", Wenjin, 9, 12);

        var refusal = RoomAllocation.CheckStay([beijing], null, Stay("Minister", Garden, 11, 13), NoBlocks);

        Assert.NotNull(refusal);
        Assert.Contains("already has a stay from 2025-11-09 to 2025-11-12", refusal.Detail, StringComparison.Ordinal);
        // Checking out on the 12th and in elsewhere the same day is the usual travel day, not two beds.
        Assert.Null(RoomAllocation.CheckStay([beijing], null, Stay("Minister", Garden, 12, 13), NoBlocks));
    }

    [Fact]
    public void A_guest_shares_a_room_only_with_a_host_there_every_night_and_takes_no_room_of_the_block()
    {
        var blocks = Block(Wenjin, 10, 12, 1);
        var host = Stay("Minister", Wenjin, 10, 13);

        Assert.Null(RoomAllocation.CheckStay([host], null, Stay("Aide", Wenjin, 10, 13, sharing: host), blocks));
        var tooLong = RoomAllocation.CheckStay([host], null, Stay("Aide", Wenjin, 10, 14, sharing: host), blocks);
        Assert.Contains("no stay at this hotel on the night of 2025-11-13", tooLong!.Detail, StringComparison.Ordinal);
        var elsewhere = RoomAllocation.CheckStay([host], null, Stay("Aide", Garden, 10, 12, sharing: host), NoBlocks);
        Assert.NotNull(elsewhere);
    }

    [Fact]
    public void A_room_is_shared_by_two_and_a_guest_cannot_host_another()
    {
        var host = Stay("Minister", Wenjin, 10, 13);
        var guest = Stay("Aide", Wenjin, 10, 13, sharing: host);

        Assert.NotNull(RoomAllocation.CheckStay([host, guest], null, Stay("Second aide", Wenjin, 10, 12, sharing: host), NoBlocks));
        Assert.NotNull(RoomAllocation.CheckStay([host, guest], null, Stay("Third aide", Wenjin, 10, 12, sharing: guest), NoBlocks));
        Assert.NotNull(RoomAllocation.CheckStay([], null, Stay("Alone", Wenjin, 10, 12) with { SharingWith = PersonOf("Alone") }, NoBlocks));
    }

    [Fact]
    public void A_host_cannot_leave_or_shorten_the_stay_while_a_guest_shares_the_room()
    {
        var host = Stay("Minister", Wenjin, 10, 13);
        var guest = Stay("Aide", Wenjin, 11, 13, sharing: host);

        var leaving = RoomAllocation.CheckStay([host, guest], host, null, NoBlocks);
        Assert.Contains("Aide shares this room", leaving!.Detail, StringComparison.Ordinal);
        Assert.NotNull(RoomAllocation.CheckStay([host, guest], host, host with { CheckOut = D(12) }, NoBlocks));
        Assert.Null(RoomAllocation.CheckStay([host, guest], host, host with { CheckIn = D(11) }, NoBlocks));
        Assert.Null(RoomAllocation.CheckStay([host, guest], guest, null, NoBlocks));
    }

    [Fact]
    public void A_block_cannot_be_lowered_below_the_rooms_taken_and_nights_list_blocks_and_stays()
    {
        StayNights[] stays = [Stay("Minister", Wenjin, 10, 12), Stay("Academic", Wenjin, 11, 12)];

        var refusal = RoomAllocation.CheckBlock(stays, Wenjin, RoomAllocation.Nights(D(10), D(12)), 1);
        Assert.Equal(new Dictionary<string, int> { ["rooms"] = 1, ["allocated"] = 2 }, refusal!.Numbers);
        Assert.Contains("night of 2025-11-11", refusal.Detail, StringComparison.Ordinal);
        Assert.Null(RoomAllocation.CheckBlock(stays, Wenjin, RoomAllocation.Nights(D(10), D(12)), 2));

        var nights = RoomAllocation.Nights(stays, Wenjin, Block(Wenjin, 9, 10, 3));
        Assert.Equal(
            [new HotelNight(Wenjin, D(9), 3, 0), new HotelNight(Wenjin, D(10), 3, 1), new HotelNight(Wenjin, D(11), null, 2)],
            nights);
    }
}
