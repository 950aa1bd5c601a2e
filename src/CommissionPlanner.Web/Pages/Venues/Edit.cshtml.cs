using System.Text.Json.Nodes;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Pages.Venues;

/// <summary>Edits a venue through <c>PATCH /api/venues/{id}</c>'s own function (merge, ReferenceSpecs, the grain).</summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditVenueModel(PlanningQueries queries, IGrainFactory grains, IDateTimeZoneProvider zones) : PlannerPageModel
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

        var body = EditForms.Body(new JsonObject
        {
            ["name"] = EditForms.Blank(Name),
            ["localName"] = EditForms.Blank(LocalName),
            ["address"] = EditForms.Blank(Address),
            ["city"] = EditForms.Blank(City),
            ["country"] = EditForms.Blank(Country),
            ["timeZone"] = EditForms.Blank(TimeZone),
            ["latitude"] = latitude,
            ["longitude"] = longitude,
            ["capacity"] = capacity,
            ["sensitive"] = Sensitive,
        });
        EditForms.SetIfMatch(HttpContext, Version);
        var outcome = EndpointOutcome.From(await ProgrammesApi.PatchVenue(id.ToString(), body, HttpContext, grains, queries, zones, ct));
        if (outcome.Succeeded)
        {
            return Redirect("/?notice=saved");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }
}
