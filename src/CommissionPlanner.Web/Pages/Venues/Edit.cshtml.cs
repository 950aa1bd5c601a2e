using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Venues;

/// <summary>
/// Edits a venue through <see cref="ReferenceCommands.UpdateVenue"/>, the command behind <c>PATCH /api/venues/{id}</c>. The form
/// carries the version it showed; a save over a newer version saves nothing and shows both.
/// </summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditVenueModel(PlanningQueries queries, ReferenceCommands commands) : PlannerPageModel
{
    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? LocalName { get; set; }

    [BindProperty] public string? Address { get; set; }

    [BindProperty] public string? City { get; set; }

    [BindProperty] public string? Country { get; set; }

    [BindProperty] public string? TimeZone { get; set; }

    [BindProperty] public string? Latitude { get; set; }

    [BindProperty] public string? Longitude { get; set; }

    [BindProperty] public string? Capacity { get; set; }

    [BindProperty] public bool Sensitive { get; set; }

    [BindProperty] public int? Version { get; set; }

    internal FormErrors Errors { get; } = new();

    public VenueResource Venue { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Venue(id, ct) is not { } venue)
        {
            return NotFound();
        }

        Venue = venue;
        Name = venue.Name;
        LocalName = venue.LocalName;
        Address = venue.Address;
        City = venue.City;
        Country = venue.Country;
        TimeZone = venue.TimeZone;
        Latitude = EditForms.Degrees(venue.Latitude);
        Longitude = EditForms.Degrees(venue.Longitude);
        Capacity = EditForms.Format(venue.Capacity);
        Sensitive = venue.Sensitive == true;
        Version = venue.Version;
        return Page();
    }

    internal EditConflict? Conflict { get; private set; }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Venue(id, ct) is not { } venue)
        {
            return NotFound();
        }

        Venue = venue;
        var latitude = EditForms.Number("latitude", Latitude, Errors);
        var longitude = EditForms.Number("longitude", Longitude, Errors);
        var capacity = EditForms.Integer("capacity", Capacity, Errors);
        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var input = new VenueInput(EditForms.Blank(Name), EditForms.Blank(LocalName), EditForms.Blank(Address), EditForms.Blank(City),
            EditForms.Blank(Country), EditForms.Blank(TimeZone), latitude, longitude, capacity, Sensitive);
        var outcome = Version is { } expected
            ? await commands.UpdateVenue(id, (_, _) => input, expected, ct)
            : EditForms.MissingVersion();
        if (outcome.Succeeded)
        {
            return Redirect("/?notice=saved");
        }

        var failure = outcome.Failure!;
        Response.StatusCode = EditForms.StatusOf(failure);
        if (failure.IsStale && await queries.Venue(id, ct) is { } now)
        {
            Venue = now;
            Conflict = EditConflict.Between(failure, now.Version,
                Shown(now.Name, now.LocalName, now.Address, now.City, now.Country, now.TimeZone, EditForms.Degrees(now.Latitude),
                    EditForms.Degrees(now.Longitude), EditForms.Format(now.Capacity), now.Sensitive == true),
                Shown(Name, LocalName, Address, City, Country, TimeZone, Latitude, Longitude, Capacity, Sensitive));
            Version = now.Version;
            return Page();
        }

        EditForms.Show(failure, Errors);
        return Page();
    }

    private (string, string, string?)[] Shown(
        string? name, string? localName, string? address, string? city, string? country, string? timeZone, string? latitude, string? longitude,
        string? capacity, bool sensitive) =>
    [
        ("name", L["Name"], name), ("localName", L["Name in the local script"], localName), ("address", L["Address"], address), ("city", L["City"], city),
        ("country", L["Country"], country), ("timeZone", L["Time zone"], timeZone), ("latitude", L["Latitude"], latitude), ("longitude", L["Longitude"], longitude),
        ("capacity", L["Capacity"], capacity), ("sensitive", L["Sensitive site"], sensitive ? L["yes"] : L["no"]),
    ];
}
