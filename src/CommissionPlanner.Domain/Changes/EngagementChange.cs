using System.Globalization;

namespace CommissionPlanner.Domain;

/// <summary>What a calendar shows as an event's STATUS.</summary>
public enum CalendarStatus
{
    Tentative,
    Confirmed,
    Cancelled,
}

/// <summary>
/// One change to one engagement, whatever caused it: an edit of the engagement itself, of its venue (capacity,
/// sensitivity, name or address), of its programme's agreed areas, a confirmation or cancellation, or a programme
/// import doing any of these at once. The API's grains and the import both describe the change in these terms and
/// apply <see cref="Decide"/>'s answer, so that the same change has the same outcome however it arrives.
/// </summary>
public sealed record EngagementChange
{
    public required EngagementStatus StatusBefore { get; init; }

    public required EngagementStatus StatusAfter { get; init; }

    /// <summary>The review status before the change (a reviewer's decision included).</summary>
    public required ReviewStatus Review { get; init; }

    /// <summary>A reviewer has decided this engagement at some time, even if a later change of facts reset the decision.</summary>
    public bool EverDecided { get; init; }

    public required ReviewedFacts FactsBefore { get; init; }

    public required ReviewedFacts FactsAfter { get; init; }

    /// <summary>The engagement's own times, zones or venues changed: calendars must move it, bookings must be re-checked.</summary>
    public bool TimeOrPlaceChanged { get; init; }

    /// <summary>A venue's shown details (name, address, city, country, zone, coordinates) changed: LOCATION changes.</summary>
    public bool VenueDetailsChanged { get; init; }

    /// <summary>The effective capacity (the engagement's own, else its venue's; null is unlimited) before the change.</summary>
    public int? CapacityBefore { get; init; }

    public int? CapacityAfter { get; init; }

    /// <summary>The attendee list's replies before the change.</summary>
    public IReadOnlyList<AttendeeReply> Replies { get; init; } = [];

    /// <summary>
    /// The replies after the change, when it alters them too (an import may change replies and capacity at once);
    /// null when they stay as they are.
    /// </summary>
    public IReadOnlyList<AttendeeReply>? RepliesAfter { get; init; }

    /// <summary>What a calendar shows for an engagement: cancelled, else tentative until confirmed with no review in the way.</summary>
    public static CalendarStatus Shown(EngagementStatus status, ReviewStatus review) => status switch
    {
        EngagementStatus.Cancelled => CalendarStatus.Cancelled,
        EngagementStatus.Confirmed when !ReviewRules.IsPending(review) => CalendarStatus.Confirmed,
        _ => CalendarStatus.Tentative,
    };

    /// <summary>The outcome: the new review status, whether SEQUENCE goes up, what to re-check, refuse or record.</summary>
    public EngagementChangeDecision Decide()
    {
        var review = ReviewRules.Next(Review, EverDecided, FactsBefore, FactsAfter);
        var cancelled = StatusAfter == EngagementStatus.Cancelled;
        var sequenceUp = TimeOrPlaceChanged || VenueDetailsChanged || Shown(StatusBefore, Review) != Shown(StatusAfter, review);

        CapacityRefusal? refusal = null;
        IReadOnlyList<Guid> promoted = [];
        var repliesAfter = RepliesAfter ?? Replies;
        if (!cancelled && (CapacityBefore != CapacityAfter || RepliesAfter is not null))
        {
            // Places already given (under the old capacity, to the replies as they will be) are never taken away.
            var attending = AttendanceRules.CountAttending(CapacityBefore, repliesAfter);
            if (CapacityBefore != CapacityAfter && CapacityAfter is { } lowered
                && AttendanceRules.ValidateCapacityChange(lowered, attending) is { } problem)
            {
                refusal = new CapacityRefusal(problem, lowered, attending);
            }
            else
            {
                promoted = AttendanceRules.Promoted(
                    AttendanceRules.Compute(CapacityBefore, Replies), AttendanceRules.Compute(CapacityAfter, repliesAfter));
            }
        }

        return new EngagementChangeDecision(
            review, review != Review, sequenceUp, RecheckBookings: TimeOrPlaceChanged && !cancelled, refusal, promoted);
    }
}

/// <summary>
/// What an <see cref="EngagementChange"/> does. When <see cref="Refusal"/> is set the change must not be made at all
/// (the caller answers 409 with both numbers); otherwise the caller writes <see cref="Review"/> (keeping the last
/// decision's reviewer, time and note: they show a decision exists), raises SEQUENCE when <see cref="SequenceUp"/>,
/// re-checks every attendee's bookings when <see cref="RecheckBookings"/>, and records each of <see cref="Promoted"/>.
/// </summary>
public sealed record EngagementChangeDecision(
    ReviewStatus Review, bool ReviewChanged, bool SequenceUp, bool RecheckBookings, CapacityRefusal? Refusal, IReadOnlyList<Guid> Promoted)
{
    /// <summary>Anything to write (a version to raise): a new review status, a new SEQUENCE or promotions.</summary>
    public bool ChangesEngagement => ReviewChanged || SequenceUp;
}

/// <summary>A capacity that would leave fewer places than people already given one: the contract's 409 with both numbers.</summary>
public sealed record CapacityRefusal(string Detail, int Capacity, int Attending)
{
    /// <summary>The sentence with the engagement it concerns, for changes (a venue's, an import's) that reach several.</summary>
    public string DetailFor(string engagementTitle) => string.Create(
        CultureInfo.InvariantCulture, $"'{engagementTitle}': {Detail}");
}
