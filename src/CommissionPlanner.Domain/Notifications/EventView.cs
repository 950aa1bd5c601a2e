using NodaTime;

namespace CommissionPlanner.Domain;

/// <summary>
/// What one person's calendar shows of one engagement, as far as telling them about a change goes: its time, place,
/// status and their own standing on the list. A notification compares the view the person was last told of with the
/// view now (<see cref="EventNotices.Between"/>); anything not in here (the description, other people's replies) never
/// causes an e-mail. Stored as JSON between the two, so keep it to plain values.
/// </summary>
/// <remarks>
/// <c>Place</c> is the LOCATION a calendar shows (the venue's name, address and city), <c>Destination</c> a travel
/// leg's arrival venue likewise (null otherwise). <c>Attendance</c> is the person's place on the list: attending (also
/// when invited and not yet answered), waiting, or not attending (declined).
/// </remarks>
public sealed record EventView(
    int Sequence,
    string Title,
    CalendarStatus Status,
    LocalDateTime StartLocal,
    string StartZone,
    LocalDateTime EndLocal,
    string EndZone,
    string Place,
    string? Destination,
    Response Response,
    Attendance Attendance,
    int? WaitingPosition,
    string? CancelReason)
{
    /// <summary>The start as an instant; null only for a stored view whose zone tzdb no longer knows.</summary>
    public Instant? StartInstant => Zoned(StartLocal, StartZone)?.ToInstant();

    public Instant? EndInstant => Zoned(EndLocal, EndZone)?.ToInstant();

    /// <summary>A declined invitation is not in the person's calendar at all.</summary>
    public bool InCalendar => Response != Response.Declined;

    private static ZonedDateTime? Zoned(LocalDateTime local, string zone) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is { } z ? local.InZoneLeniently(z) : null;
}

/// <summary>What a notification says about one engagement.</summary>
public enum NoticeKind
{
    /// <summary>New in the person's calendar: added to the list, reinstated, or no longer declined.</summary>
    Added,

    /// <summary>Still in it, with something they see changed (time, place, status, title or their place on the list).</summary>
    Changed,

    /// <summary>The engagement was cancelled.</summary>
    Cancelled,

    /// <summary>The person was taken off the list: the event leaves their calendar.</summary>
    Removed,
}

/// <summary>Which parts of what the person sees differ between the view they were told of and the view now.</summary>
[Flags]
public enum NoticeChanges
{
    None = 0,
    Time = 1,
    Place = 2,
    Status = 4,
    Title = 8,

    /// <summary>Their standing on the list: a place given (a promotion from the waiting list) or lost.</summary>
    Attendance = 16,
}

/// <summary>One engagement's part of a notification: the view before (what they were told) and after (what is true now).</summary>
public sealed record EventNotice(Guid EngagementId, NoticeKind Kind, NoticeChanges Changes, EventView? Before, EventView? After)
{
    /// <summary>The calendar object to send: a CANCEL takes the event out of the person's calendar, a REQUEST puts it in or updates it.</summary>
    public bool IsCancel => Kind is NoticeKind.Cancelled or NoticeKind.Removed;
}

/// <summary>
/// The rule for whether a change is worth telling a person, and what to tell them. Pure: the sender reads the views and
/// sends what this answers. A change that leaves what the person sees as it was (edited and edited back within the
/// batch window, a new description, another person's reply) answers nothing, and a person who declined is never told
/// of the engagement again until they accept or are invited anew.
/// </summary>
public static class EventNotices
{
    /// <summary>
    /// The notice for one engagement, or null when there is nothing to say. <paramref name="before"/> is the view the
    /// person was last told of (null: never told, or not in their calendar then); <paramref name="after"/> the view now
    /// (null: no longer on the list).
    /// </summary>
    public static EventNotice? Between(Guid engagementId, EventView? before, EventView? after)
    {
        // A declined invitation is not in their calendar: being told of one, or of the decline itself, says nothing.
        var was = before is { InCalendar: true } ? before : null;
        var now = after is { InCalendar: true } ? after : null;
        if (was is null && now is null)
        {
            return null;
        }

        if (was is null)
        {
            // Never told and already cancelled: there is nothing in their calendar to take out.
            return now!.Status == CalendarStatus.Cancelled ? null : new EventNotice(engagementId, NoticeKind.Added, NoticeChanges.None, null, now);
        }

        if (now is null)
        {
            // Off the list, or declined. Their own decline needs no message: they know, and their client has already
            // acted on it. Taken off by someone else, the event must leave their calendar.
            if (after is { InCalendar: false } || was.Status == CalendarStatus.Cancelled)
            {
                return null;
            }

            return new EventNotice(engagementId, NoticeKind.Removed, NoticeChanges.None, was, null);
        }

        var changes = ChangesBetween(was, now);
        if (changes == NoticeChanges.None)
        {
            return null;
        }

        if (now.Status == CalendarStatus.Cancelled)
        {
            return was.Status == CalendarStatus.Cancelled ? null : new EventNotice(engagementId, NoticeKind.Cancelled, changes, was, now);
        }

        // Told of a cancellation and now back: as new to their calendar, which removed it.
        var kind = was.Status == CalendarStatus.Cancelled ? NoticeKind.Added : NoticeKind.Changed;
        return new EventNotice(engagementId, kind, changes, was, now);
    }

    /// <summary>What differs between two views of one engagement (SEQUENCE itself is a consequence, not a change).</summary>
    public static NoticeChanges ChangesBetween(EventView before, EventView after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = NoticeChanges.None;
        if (before.StartLocal != after.StartLocal || before.StartZone != after.StartZone
            || before.EndLocal != after.EndLocal || before.EndZone != after.EndZone)
        {
            changes |= NoticeChanges.Time;
        }

        if (before.Place != after.Place || before.Destination != after.Destination)
        {
            changes |= NoticeChanges.Place;
        }

        if (before.Status != after.Status)
        {
            changes |= NoticeChanges.Status;
        }

        if (before.Title != after.Title)
        {
            changes |= NoticeChanges.Title;
        }

        // A place given or lost; not a move along the waiting list, which every reply ahead of them causes.
        if (before.Attendance != after.Attendance)
        {
            changes |= NoticeChanges.Attendance;
        }

        return changes;
    }
}
