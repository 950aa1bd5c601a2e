using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Pages.Venues;

/// <summary>Creates a venue through <c>POST /api/venues</c>'s own function (ReferenceSpecs, the venue grain).</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewVenueModel(PlanningQueries queries, IGrainFactory grains, IDateTimeZoneProvider zones) : PlannerPageModel
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

    internal FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var latitude = EditForms.Number("latitude", Latitude, Errors);
        var longitude = EditForms.Number("longitude", Longitude, Errors);
        var capacity = EditForms.Integer("capacity", Capacity, Errors);
        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var input = new VenueInput(Name, LocalName, Address, City, Country, TimeZone, latitude, longitude, capacity, Sensitive);
        var outcome = EndpointOutcome.From(await ProgrammesApi.CreateVenue(input, grains, queries, zones, ct));
        if (outcome.Succeeded)
        {
            return Redirect("/?notice=created");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }
}
