using System.Text.Json.Nodes;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.People;

/// <summary>Edits a delegation member through <c>PATCH /api/people/{id}</c>'s own function (merge, ReferenceSpecs, the grain).</summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditMemberModel(PlanningQueries queries, IGrainFactory grains) : PlannerPageModel
{
    [BindProperty] public string? FullName { get; set; }

    [BindProperty] public string? LocalName { get; set; }

    [BindProperty] public string? Organisation { get; set; }

    [BindProperty] public string? Title { get; set; }

    [BindProperty] public string? Email { get; set; }

    [BindProperty] public string? Role { get; set; }

    [BindProperty] public string? ProtocolOrder { get; set; }

    [BindProperty] public int? Version { get; set; }

    internal FormErrors Errors { get; } = new();

    public PersonResource Person { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Person(id, ct) is not { } person)
        {
            return NotFound();
        }

        Person = person;
        FullName = person.FullName;
        LocalName = person.LocalName;
        Organisation = person.Organisation;
        Title = person.Title;
        Email = person.Email;
        Role = person.Role;
        ProtocolOrder = EditForms.Format(person.ProtocolOrder);
        Version = person.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Person(id, ct) is not { } person)
        {
            return NotFound();
        }

        Person = person;
        var order = EditForms.Integer("protocolOrder", ProtocolOrder, Errors);
        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var fields = new JsonObject
        {
            ["fullName"] = EditForms.Blank(FullName),
            ["localName"] = EditForms.Blank(LocalName),
            ["organisation"] = EditForms.Blank(Organisation),
            ["title"] = EditForms.Blank(Title),
            ["email"] = EditForms.Blank(Email),
            ["role"] = EditForms.Blank(Role),
        };
        if (order is { } position && position != person.ProtocolOrder)
        {
            fields["protocolOrder"] = position;
        }

        EditForms.SetIfMatch(HttpContext, Version);
        var outcome = EndpointOutcome.From(await ProgrammesApi.PatchPerson(id.ToString(), EditForms.Body(fields), HttpContext, grains, queries, ct));
        if (outcome.Succeeded)
        {
            return Redirect($"/people/{id}?notice=saved");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }
}
