using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;

namespace CommissionPlanner.Web.Pages.Logistics;

/// <summary>
/// A day's transfers board: the programme's travel legs by car leaving that day (local to where they leave), each with its
/// vehicle and passengers; organisers book a transfer here through the same commands as the API (create the leg with its
/// vehicle, then add each passenger), so the grains' seat and double-booking rules decide.
/// </summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class TransfersModel(PlanningQueries queries, LogisticsQueries logistics, EngagementCommands commands) : PlannerPageModel
{
    [BindProperty]
    public TransferForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "date")]
    public string? DateText { get; set; }

    internal FormErrors Errors { get; } = new();

    public ProgrammeResource Programme { get; private set; } = null!;

    public LocalDate Day { get; private set; }

    /// <summary>Every day of the programme, for the day links (the chosen day too when it lies outside).</summary>
    public IReadOnlyList<LocalDate> Days { get; private set; } = [];

    public IReadOnlyList<(ManifestTransfer Transfer, VehicleResource? Vehicle)> Transfers { get; private set; } = [];

    public IReadOnlyList<VehicleResource> Vehicles { get; private set; } = [];

    public IReadOnlyList<VenueResource> Venues { get; private set; } = [];

    public IReadOnlyList<DelegationResource> Delegations { get; private set; } = [];

    /// <summary>Passengers a booked transfer could not take, each with the reason the rules gave.</summary>
    public IReadOnlyList<string> Refusals { get; private set; } = [];

    /// <summary>The transfer just booked (highlighted on the board).</summary>
    [BindProperty(SupportsGet = true, Name = "booked")]
    public Guid? Booked { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await Load(id, ct))
        {
            return NotFound();
        }

        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await Allowed(Policies.Plan))
        {
            return ForbiddenPage();
        }

        if (!await Load(id, ct))
        {
            return NotFound();
        }

        var passengers = Form.DistinctPassengers();
        var vehicle = Guid.TryParse(Form.VehicleId, out var vehicleId) ? Vehicles.FirstOrDefault(v => v.Id == vehicleId) : null;
        if (vehicle is null)
        {
            Errors.AddAll(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["vehicleId"] = [L["Choose the vehicle for this transfer."].Value] });
        }

        if (passengers.Count == 0)
        {
            Errors.AddAll(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["passengers"] = [L["Tick at least one passenger."].Value] });
        }

        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // The vehicle's seat rule, checked for the whole booking before anything is written, so that a booking too big for
        // the vehicle leaves nothing behind; the engagement grain checks it again for each passenger it adds.
        if (TransferRules.SeatsProblem(Form.Title ?? "transfer", vehicle!.Seats, passengers.Count) is { } seats)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            Errors.Summary = L["{0} Nothing was booked.", seats];
            return Page();
        }

        var created = await commands.Create(id, Form.ToInput(), ct);
        if (!created.Succeeded)
        {
            Response.StatusCode = EditForms.StatusOf(created.Failure!);
            EditForms.Show(created.Failure!, Errors);
            return Page();
        }

        var refusals = new List<string>();
        foreach (var personId in passengers)
        {
            var added = await commands.AddAttendee(created.Value.Id, new AttendeeInput(personId, "required"));
            if (!added.Succeeded)
            {
                refusals.Add(L["{0}: {1}", NameOf(personId), added.Failure!.Message]);
            }
        }

        var day = WireTime.TryParseLocal(Form.Departure, out var departure) ? WireTime.FormatDate(departure.Date) : DateText;
        if (refusals.Count == 0)
        {
            return Redirect($"/programmes/{id}/transfers?date={day}&booked={created.Value.Id}&notice=booked");
        }

        // The leg is booked with everyone the rules let in; say who is missing and why, on the board that shows it.
        DateText = day;
        Booked = created.Value.Id;
        Refusals = refusals;
        Form = new TransferForm();
        await Load(id, ct);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private string NameOf(string personId) =>
        Delegations.SelectMany(d => d.Members).FirstOrDefault(m => string.Equals(m.Id.ToString(), personId, StringComparison.OrdinalIgnoreCase))?.FullName
        ?? personId;

    private async Task<bool> Load(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return false;
        }

        Programme = programme;
        var first = LocalDatePattern.Iso.Parse(programme.StartDate).Value;
        var last = LocalDatePattern.Iso.Parse(programme.EndDate).Value;
        Day = first;
        if (!string.IsNullOrEmpty(DateText))
        {
            if (WireTime.TryParseDate(DateText, out var chosen))
            {
                Day = chosen;
            }
            else
            {
                Errors.AddAll(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["date"] = [L["'date' must be an ISO 8601 date, e.g. 2025-11-11, in the years {0} to {1}.", WireTime.MinYear, WireTime.MaxYear].Value] });
            }
        }

        var days = new List<LocalDate>();
        for (var d = first; d <= last; d = d.PlusDays(1))
        {
            days.Add(d);
        }

        if (!days.Contains(Day))
        {
            days.Add(Day);
            days.Sort();
        }

        Days = days;
        Vehicles = await logistics.Vehicles(id, ct);
        var byId = Vehicles.ToDictionary(v => v.Id);
        Transfers = [.. (await logistics.Transfers(id, Day, ct)).Select(t => (t.Transfer, t.VehicleId is { } v ? byId.GetValueOrDefault(v) : null))];
        Venues = await queries.Venues(ct);
        Delegations = await queries.Delegations(id, ct);
        if (string.IsNullOrEmpty(Form.Departure) && HttpMethods.IsGet(Request.Method))
        {
            Form.Departure = WireTime.FormatLocal(Day.At(new LocalTime(9, 0)));
            Form.Arrival = WireTime.FormatLocal(Day.At(new LocalTime(10, 0)));
        }

        return true;
    }
}
