namespace CommissionPlanner.Domain.Tests;

public class EventNoticesTests
{
    private static readonly Guid Id = Guid.Parse("0191a2b3-0000-7000-8000-0000000000e1");

    private static EventView View(
        int hour = 14, CalendarStatus status = CalendarStatus.Confirmed, Response response = Response.Accepted,
        Attendance attendance = Attendance.Attending, string place = "Tsinghua University, Haidian, Beijing") => new(
        Sequence: 1, Title: "Press event", status,
        new LocalDateTime(2025, 11, 11, hour, 15), "Asia/Shanghai", new LocalDateTime(2025, 11, 11, hour + 1, 0), "Asia/Shanghai",
        place, Destination: null, response, attendance, WaitingPosition: attendance == Attendance.Waiting ? 1 : null, CancelReason: null);

    [Fact]
    public void Nothing_before_and_nothing_now_says_nothing()
    {
        Assert.Null(EventNotices.Between(Id, null, null));
    }

    [Fact]
    public void Added_to_the_list_is_an_invitation()
    {
        var notice = EventNotices.Between(Id, null, View());
        Assert.Equal(NoticeKind.Added, notice!.Kind);
        Assert.False(notice.IsCancel);
    }

    [Fact]
    public void A_move_is_a_change_of_time()
    {
        var notice = EventNotices.Between(Id, View(14), View(15) with { Sequence = 2 });
        Assert.Equal(NoticeKind.Changed, notice!.Kind);
        Assert.Equal(NoticeChanges.Time, notice.Changes);
    }

    [Fact]
    public void A_change_of_zone_alone_is_a_change_of_time()
    {
        var notice = EventNotices.Between(Id, View(), View() with { StartZone = "Asia/Hong_Kong" });
        Assert.Equal(NoticeChanges.Time, notice!.Changes);
    }

    [Fact]
    public void What_the_person_does_not_see_says_nothing()
    {
        // A new SEQUENCE alone (say a review that left the shown status as it was), their own reply, a new waiting position.
        Assert.Null(EventNotices.Between(Id, View(), View() with { Sequence = 7 }));
        Assert.Null(EventNotices.Between(Id, View(response: Response.NeedsAction), View(response: Response.Tentative)));
        Assert.Null(EventNotices.Between(Id, View(attendance: Attendance.Waiting) with { WaitingPosition = 3 }, View(attendance: Attendance.Waiting)));
    }

    [Fact]
    public void Moved_and_moved_back_says_nothing()
    {
        Assert.Null(EventNotices.Between(Id, View(14), View(14) with { Sequence = 3 }));
    }

    [Fact]
    public void A_cancellation_is_a_cancel_and_never_told_of_one_says_nothing()
    {
        var notice = EventNotices.Between(Id, View(), View(status: CalendarStatus.Cancelled));
        Assert.Equal(NoticeKind.Cancelled, notice!.Kind);
        Assert.True(notice.IsCancel);
        Assert.Null(EventNotices.Between(Id, null, View(status: CalendarStatus.Cancelled)));
        Assert.Null(EventNotices.Between(Id, View(status: CalendarStatus.Cancelled), View(status: CalendarStatus.Cancelled) with { Sequence = 4 }));
    }

    [Fact]
    public void Reinstated_after_a_cancellation_is_added_again()
    {
        var notice = EventNotices.Between(Id, View(status: CalendarStatus.Cancelled), View());
        Assert.Equal(NoticeKind.Added, notice!.Kind);
    }

    [Fact]
    public void Taken_off_the_list_is_a_cancel_but_their_own_decline_says_nothing()
    {
        var removed = EventNotices.Between(Id, View(), null);
        Assert.Equal(NoticeKind.Removed, removed!.Kind);
        Assert.True(removed.IsCancel);
        Assert.Null(EventNotices.Between(Id, View(), View(response: Response.Declined, attendance: Attendance.NotAttending)));
        Assert.Null(EventNotices.Between(Id, View(status: CalendarStatus.Cancelled), null));
    }

    [Fact]
    public void Accepting_again_after_a_decline_is_an_invitation_and_changes_meanwhile_are_not_told()
    {
        var declined = View(response: Response.Declined, attendance: Attendance.NotAttending);
        Assert.Null(EventNotices.Between(Id, declined, declined with { StartLocal = declined.StartLocal.PlusHours(2) }));
        Assert.Equal(NoticeKind.Added, EventNotices.Between(Id, declined, View())!.Kind);
    }

    [Fact]
    public void A_promotion_from_the_waiting_list_is_a_change_of_attendance()
    {
        var notice = EventNotices.Between(Id, View(attendance: Attendance.Waiting), View());
        Assert.Equal(NoticeKind.Changed, notice!.Kind);
        Assert.Equal(NoticeChanges.Attendance, notice.Changes);
    }

    [Fact]
    public void Several_changes_are_all_named()
    {
        var notice = EventNotices.Between(Id, View(14), View(16, CalendarStatus.Tentative, place: "UK-China CCUS Centre, Guangzhou") with { Title = "Press" });
        Assert.Equal(NoticeChanges.Time | NoticeChanges.Place | NoticeChanges.Status | NoticeChanges.Title, notice!.Changes);
    }

    [Fact]
    public void A_view_knows_its_instants_across_zones()
    {
        var view = View(14);
        Assert.Equal(Instant.FromUtc(2025, 11, 11, 6, 15), view.StartInstant);
        Assert.Null((view with { StartZone = "Not/AZone" }).StartInstant);
    }
}
