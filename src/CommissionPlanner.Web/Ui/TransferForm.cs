using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// The transfers board's booking form: a travel leg by car with a vehicle, and the people it carries. Field names are the
/// API's JSON names, so the engagement rules' field errors land beside their fields.
/// </summary>
public sealed class TransferForm
{
    public string? Title { get; set; }

    public string? VehicleId { get; set; }

    public string? FromVenueId { get; set; }

    public string? ToVenueId { get; set; }

    public string? Departure { get; set; }

    public string? Arrival { get; set; }

    public string? Reference { get; set; }

    /// <summary>The people ticked as passengers (person ids).</summary>
    public List<string> Passengers { get; set; } = [];

    /// <summary>The leg as <c>POST /api/programmes/{id}/engagements</c> takes it: kind travel, mode car.</summary>
    internal EngagementInput ToInput() => new(
        Kind: "travel", Title: EditForms.Blank(Title), FromVenueId: EditForms.Blank(FromVenueId), ToVenueId: EditForms.Blank(ToVenueId),
        Departure: EditForms.Blank(Departure), Arrival: EditForms.Blank(Arrival), Mode: "car", Reference: EditForms.Blank(Reference),
        VehicleId: EditForms.Blank(VehicleId));

    /// <summary>The ticked passengers, each once, in the order ticked.</summary>
    internal IReadOnlyList<string> DistinctPassengers() => [.. Passengers.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.OrdinalIgnoreCase)];
}
