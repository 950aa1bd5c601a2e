using CommissionPlanner.Domain;
using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Planning;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// The states the pages decide on, as the domain's enums: resources carry wire names (the HTTP contract's), and the pages
/// compare members, never strings. A name the domain does not know is a bug, not a state to guess at.
/// </summary>
internal static class States
{
    public static EngagementStatus StatusOf(this EngagementResource engagement) => Parse<EngagementStatus>(engagement?.Status, EngagementStatuses.TryParse);

    public static EngagementStatus StatusOf(this ItineraryEntry entry) => Parse<EngagementStatus>(entry?.Status, EngagementStatuses.TryParse);

    public static ReviewStatus ReviewOf(this EngagementResource engagement) => Parse<ReviewStatus>(engagement?.Review.Status, ReviewStatuses.TryParse);

    public static EngagementKind KindOf(this EngagementResource engagement) => Parse<EngagementKind>(engagement?.Kind, EngagementKinds.TryParse);

    public static DelegateRole RoleOf(this PersonResource person) => Parse<DelegateRole>(person?.Role, DelegateRoles.TryParse);

    public static Attendance AttendanceOf(this AttendeeResource attendee) => Parse<Attendance>(attendee?.Attendance, Attendances.TryParse);

    public static Attendance AttendanceOf(this ItineraryEntry entry) => Parse<Attendance>(entry?.Attendance, Attendances.TryParse);

    public static Attendance AttendanceOf(this MatrixCell cell) => Parse<Attendance>(cell?.Attendance, Attendances.TryParse);

    public static bool IsCancelled(this EngagementResource engagement) => engagement.StatusOf() == EngagementStatus.Cancelled;

    public static bool IsCancelled(this ItineraryEntry entry) => entry.StatusOf() == EngagementStatus.Cancelled;

    public static bool IsTravel(this EngagementResource engagement) => engagement.KindOf() == EngagementKind.Travel;

    public static bool NeedsReview(this EngagementResource engagement) => engagement.ReviewOf() == ReviewStatus.Required;

    public static bool NeedsReview(this StayResource stay) => Parse<ReviewStatus>(stay?.Review.Status, ReviewStatuses.TryParse) == ReviewStatus.Required;

    public static bool IsCancelled(this ManifestTransfer transfer) =>
        Parse<EngagementStatus>(transfer?.Status, EngagementStatuses.TryParse) == EngagementStatus.Cancelled;

    public static bool IsDecided(this EngagementResource engagement) => engagement.ReviewOf() is ReviewStatus.Approved or ReviewStatus.Rejected;

    public static bool IsWaiting(this AttendeeResource attendee) => attendee.AttendanceOf() == Attendance.Waiting;

    public static bool IsWaiting(this ItineraryEntry entry) => entry.AttendanceOf() == Attendance.Waiting;

    public static bool IsCancelled(this ListEngagement engagement) =>
        Parse<EngagementStatus>(engagement?.Status, EngagementStatuses.TryParse) == EngagementStatus.Cancelled;

    public static bool IsWaiting(this MatrixCell cell) => cell.AttendanceOf() == Attendance.Waiting;

    private delegate bool Parser<T>(string? wire, out T value);

    private static T Parse<T>(string? wire, Parser<T> parse) where T : struct, Enum =>
        parse(wire, out var value) ? value : throw new InvalidOperationException($"'{wire}' is not a {typeof(T).Name}.");
}
