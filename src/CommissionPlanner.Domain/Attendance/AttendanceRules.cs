using System.Globalization;

namespace CommissionPlanner.Domain;

/// <summary>
/// One attendee's reply. <see cref="AcceptanceOrder"/> is a monotonically increasing number assigned
/// each time the person accepts, so places go to whoever accepted first; it means nothing unless
/// <see cref="Response"/> is <see cref="Domain.Response.Accepted"/>.
/// </summary>
public sealed record AttendeeReply(Guid PersonId, Response Response, long AcceptanceOrder);

/// <summary>Whether one attendee has a place, and where they stand on the waiting list if not (1-based).</summary>
public sealed record AttendanceStatus(Guid PersonId, Attendance Attendance, int? WaitingPosition);

/// <summary>
/// Places against capacity. Only acceptances use up places; people who have not answered or are
/// tentative stay invited (attending) without holding one, and inviting beyond capacity is allowed.
/// </summary>
public static class AttendanceRules
{
    /// <summary>
    /// Each attendee's status, in the order of <paramref name="replies"/>: declined → not attending;
    /// accepted → attending for the first <paramref name="capacity"/> by acceptance order, the rest
    /// waiting with positions 1, 2, …; needs-action or tentative → attending. A null capacity is unlimited.
    /// </summary>
    public static IReadOnlyList<AttendanceStatus> Compute(int? capacity, IReadOnlyList<AttendeeReply> replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        ThrowIfNegative(capacity);

        // OrderBy is stable, so equal acceptance orders keep their input order.
        var acceptanceRank = replies
            .Select((reply, index) => (reply, index))
            .Where(x => x.reply.Response == Response.Accepted)
            .OrderBy(x => x.reply.AcceptanceOrder)
            .Select((x, rank) => (x.index, rank))
            .ToDictionary(x => x.index, x => x.rank);

        var statuses = new List<AttendanceStatus>(replies.Count);
        for (var index = 0; index < replies.Count; index++)
        {
            var reply = replies[index];
            statuses.Add(reply.Response switch
            {
                Response.Declined => new AttendanceStatus(reply.PersonId, Attendance.NotAttending, null),
                Response.Accepted when capacity is { } limit && acceptanceRank[index] >= limit =>
                    new AttendanceStatus(reply.PersonId, Attendance.Waiting, acceptanceRank[index] - limit + 1),
                _ => new AttendanceStatus(reply.PersonId, Attendance.Attending, null),
            });
        }

        return statuses;
    }

    /// <summary>
    /// The status of an attendee whose own reply decides it, as <see cref="Compute"/> would give it in any list: everyone
    /// but those who accepted. Null for an acceptance, whose place depends on who accepted before it: then only
    /// <see cref="Compute"/> over the whole list answers. Lets a view of one attendee skip reading the others.
    /// </summary>
    public static AttendanceStatus? StatusWithoutList(AttendeeReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Response switch
        {
            Response.Accepted => null,
            Response.Declined => new AttendanceStatus(reply.PersonId, Attendance.NotAttending, null),
            _ => new AttendanceStatus(reply.PersonId, Attendance.Attending, null),
        };
    }

    /// <summary>
    /// The status of any attendee while no one waits, as <see cref="Compute"/> would give it: when the capacity is unlimited
    /// or the acceptances fit within it (<paramref name="acceptedCount"/> at most the capacity), every acceptance's rank is
    /// below the capacity, so each accepted attendee attends and every status is the reply's own. Null when some acceptance
    /// waits: then an acceptance's place depends on those accepted before it, and <see cref="Compute"/> over the list's
    /// acceptances decides it. Lets a page of a list read its own rows and one count instead of every reply.
    /// </summary>
    public static AttendanceStatus? StatusWhileNoOneWaits(AttendeeReply reply, int? capacity, int acceptedCount)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ThrowIfNegative(capacity);
        return StatusWithoutList(reply)
            ?? (capacity is not { } limit || acceptedCount <= limit ? new AttendanceStatus(reply.PersonId, Attendance.Attending, null) : null);
    }

    /// <summary>The number of accepted people who have a place: all acceptances, capped at the capacity.</summary>
    public static int CountAttending(int? capacity, IReadOnlyList<AttendeeReply> replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        ThrowIfNegative(capacity);

        var accepted = replies.Count(r => r.Response == Response.Accepted);
        return capacity is { } limit ? Math.Min(accepted, limit) : accepted;
    }

    /// <summary>
    /// Null when the capacity may change to <paramref name="newCapacity"/>; otherwise a sentence. A
    /// negative capacity is refused, and so is one below <paramref name="acceptedCount"/>, the number
    /// of people already confirmed (accepted within the old capacity): their places are not taken away.
    /// </summary>
    public static string? ValidateCapacityChange(int newCapacity, int acceptedCount)
    {
        if (newCapacity < 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"A capacity cannot be negative (got {newCapacity}).");
        }

        if (newCapacity < acceptedCount)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"The capacity cannot be lowered to {newCapacity}: {acceptedCount} {(acceptedCount == 1 ? "person has" : "people have")} already been given a place. "
                + $"Choose at least {acceptedCount}, or ask attendees to decline first.");
        }

        return null;
    }

    /// <summary>
    /// The people who were waiting in <paramref name="before"/> and are attending in <paramref name="after"/>,
    /// in the order they were waiting: whom to tell that a place has come free.
    /// </summary>
    public static IReadOnlyList<Guid> Promoted(IReadOnlyList<AttendanceStatus> before, IReadOnlyList<AttendanceStatus> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);

        var attendingNow = after
            .Where(s => s.Attendance == Attendance.Attending)
            .Select(s => s.PersonId)
            .ToHashSet();

        return
        [
            .. before
                .Where(s => s.Attendance == Attendance.Waiting && attendingNow.Contains(s.PersonId))
                .OrderBy(s => s.WaitingPosition ?? int.MaxValue)
                .Select(s => s.PersonId)
                .Distinct(),
        ];
    }

    private static void ThrowIfNegative(int? capacity)
    {
        if (capacity is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A capacity cannot be negative.");
        }
    }
}
