using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.People;

/// <summary>
/// Edits a delegation member through <see cref="ReferenceCommands.UpdateMember"/>, the command behind <c>PATCH /api/people/{id}</c>.
/// The form carries the version it showed; a save over a newer version saves nothing and shows both.
/// </summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditMemberModel(PlanningQueries queries, ReferenceCommands commands) : PlannerPageModel
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

    internal EditConflict? Conflict { get; private set; }

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

        var input = new MemberInput(EditForms.Blank(FullName), EditForms.Blank(LocalName), EditForms.Blank(Organisation), EditForms.Blank(Title),
            EditForms.Blank(Email), EditForms.Blank(Role));

        // The position moves only when the form changed it: one shown unchanged leaves a move made meanwhile alone.
        var outcome = Version is { } expected
            ? await commands.UpdateMember(id, (current, _) => new(input, order is { } position && position != person.ProtocolOrder ? position : null), expected, ct)
            : EditForms.MissingVersion();
        if (outcome.Succeeded)
        {
            return Redirect($"/people/{id}?notice=saved");
        }

        var failure = outcome.Failure!;
        Response.StatusCode = EditForms.StatusOf(failure);
        if (failure.IsStale && await queries.Person(id, ct) is { } now)
        {
            Person = now;
            Conflict = EditConflict.Between(failure, now.Version,
                Shown(now.FullName, now.LocalName, now.Organisation, now.Title, now.Email, now.Role, EditForms.Format(now.ProtocolOrder)),
                Shown(FullName, LocalName, Organisation, Title, Email, Role, ProtocolOrder));
            Version = now.Version;
            return Page();
        }

        EditForms.Show(failure, Errors);
        return Page();
    }

    private (string, string, string?)[] Shown(
        string? fullName, string? localName, string? organisation, string? title, string? email, string? role, string? protocolOrder) =>
    [
        ("fullName", L["Full name"].Value, fullName), ("localName", L["Name in the local script"].Value, localName), ("organisation", L["Organisation"].Value, organisation),
        ("title", L["Title"].Value, title), ("email", L["E-mail"].Value, email), ("role", L["Role"].Value, role), ("protocolOrder", L["Position in protocol order"].Value, protocolOrder),
    ];
}
