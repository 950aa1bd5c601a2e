using NodaTime;

namespace CommissionPlanner.Domain.Logistics;

/// <summary>A transfer as the vehicle rules see it: its vehicle, its time [Start, End) and its passengers (attendees who have not declined).</summary>
public sealed record VehicleTransfer(Guid EngagementId, string Title, Guid VehicleId, Instant Start, Instant End, int Passengers, bool Cancelled = false);

/// <summary>
/// A vehicle's two rules: it carries no more passengers than it has seats, and it is in one transfer at a time (a cancelled
/// transfer holds nothing). The vehicle grain and the database's exclusion constraint enforce them for single changes;
/// the import checks a whole document's transfers with these.
/// </summary>
public static class TransferRules
{
    /// <summary>Null when <paramref name="passengers"/> fit in <paramref name="seats"/>; otherwise a sentence with the numbers.</summary>
    public static string? SeatsProblem(string title, int seats, int passengers) =>
        passengers <= seats
            ? null
            : FormattableString.Invariant($"The transfer '{title}' has {passengers} passengers but its vehicle has {seats} seats.");

    /// <summary>Every pair of transfers that would have one vehicle in two places at once, earlier first.</summary>
    public static IEnumerable<(VehicleTransfer First, VehicleTransfer Second)> DoubleBookings(IEnumerable<VehicleTransfer> transfers)
    {
        ArgumentNullException.ThrowIfNull(transfers);
        foreach (var vehicle in transfers.Where(t => !t.Cancelled).GroupBy(t => t.VehicleId))
        {
            var ordered = vehicle.OrderBy(t => t.Start).ThenBy(t => t.End).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                for (var j = i + 1; j < ordered.Count && ordered[j].Start < ordered[i].End; j++)
                {
                    yield return (ordered[i], ordered[j]);
                }
            }
        }
    }
}

/// <summary>
/// The research-security rule for stays, as for engagements: a stay at a hotel marked sensitive needs a reviewer's decision;
/// a decision was about the hotel it saw, so a move to another hotel is looked at again when that hotel is sensitive or the
/// stay was ever decided (it never drops back to "not required" by itself).
/// </summary>
public static class StayReviews
{
    public static ReviewStatus Initial(bool sensitiveHotel) => sensitiveHotel ? ReviewStatus.Required : ReviewStatus.NotRequired;

    public static ReviewStatus AfterHotelChange(bool sensitiveHotel, bool everDecided) =>
        sensitiveHotel || everDecided ? ReviewStatus.Required : ReviewStatus.NotRequired;

    /// <summary>A hotel newly marked sensitive: stays there that needed no review now need one; decided ones stand.</summary>
    public static ReviewStatus AfterHotelMarkedSensitive(ReviewStatus current) =>
        current == ReviewStatus.NotRequired ? ReviewStatus.Required : current;
}
