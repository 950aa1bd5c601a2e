using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Pages.Logistics;

/// <summary>
/// A programme's rooming list for the screen and for print, for every hotel or one, every night or one: the rooms each
/// night's block holds against those taken, then one row per room and night. The CSV is the API's, with the same filters.
/// </summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class RoomingListModel(PlanningQueries queries, LogisticsQueries logistics) : PlannerPageModel
{
    [BindProperty(SupportsGet = true, Name = "hotelId")]
    public Guid? HotelId { get; set; }

    [BindProperty(SupportsGet = true, Name = "night")]
    public string? NightText { get; set; }

    internal FormErrors Errors { get; } = new();

    public ProgrammeResource Programme { get; private set; } = null!;

    /// <summary>Every hotel the programme holds rooms at or has a stay at (for the filter).</summary>
    public IReadOnlyList<(Guid Id, string Name)> Hotels { get; private set; } = [];

    public IReadOnlyList<HotelNightResource> HotelNights { get; private set; } = [];

    public IReadOnlyList<RoomingRow> Rows { get; private set; } = [];

    /// <summary>The query string of the current filters, for the CSV link.</summary>
    public string Filters => string.Join("&", new[]
    {
        HotelId is { } hotel ? $"hotelId={hotel}" : null,
        string.IsNullOrEmpty(NightText) ? null : $"night={Uri.EscapeDataString(NightText)}",
    }.Where(p => p is not null));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return NotFound();
        }

        Programme = programme;
        LocalDate? night = null;
        if (!string.IsNullOrEmpty(NightText))
        {
            if (WireTime.TryParseDate(NightText, out var parsed))
            {
                night = parsed;
            }
            else
            {
                Errors.AddAll(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["night"] = [L["'night' must be an ISO 8601 date, e.g. 2025-11-11, in the years {0} to {1}.", WireTime.MinYear, WireTime.MaxYear].Value] });
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }
        }

        var all = await logistics.HotelNights(id, null, ct);
        Hotels = [.. all.Select(n => (n.HotelId, n.Hotel)).Distinct()];
        HotelNights = [.. all.Where(n => (HotelId is null || n.HotelId == HotelId) && (night is null || n.Night == WireTime.FormatDate(night.Value)))];
        Rows = Errors.Any ? [] : await logistics.RoomingList(id, HotelId, night, ct);
        return Page();
    }

    /// <summary>The rooming list CSV exactly as <c>GET /api/programmes/{id}/rooming-list?format=csv</c> answers it.</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        var result = await HotelsAndTransfersApi.RoomingList(id.ToString(), HotelId, NightText, "csv", HttpContext, queries, logistics, ct);
        await Downloads.Send(HttpContext, result, $"rooming-list-{id}.csv");
        return new EmptyResult();
    }
}
