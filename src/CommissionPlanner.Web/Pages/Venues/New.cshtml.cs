using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Venues;

/// <summary>Creates a venue through <see cref="ReferenceCommands.CreateVenue"/>, the command behind <c>POST /api/venues</c>.</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewVenueModel(ReferenceCommands commands) : PlannerPageModel
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
        var outcome = await commands.CreateVenue(input);
        if (outcome.Succeeded)
        {
            return Redirect("/?notice=created");
        }

        Response.StatusCode = EditForms.StatusOf(outcome.Failure!);
        EditForms.Show(outcome.Failure!, Errors);
        return Page();
    }
}
