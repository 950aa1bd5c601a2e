using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Programmes;

/// <summary>
/// Edits a programme through <see cref="ReferenceCommands.UpdateProgramme"/>, the command behind <c>PATCH /api/programmes/{id}</c>.
/// The form carries the version it showed; a save over a newer version saves nothing and shows both.
/// </summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditProgrammeModel(PlanningQueries queries, ReferenceCommands commands) : PlannerPageModel
{
    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? NameZh { get; set; }

    [BindProperty] public string? StartDate { get; set; }

    [BindProperty] public string? EndDate { get; set; }

    [BindProperty] public string? TimeZone { get; set; }

    [BindProperty] public string? Areas { get; set; }

    [BindProperty] public int? Version { get; set; }

    internal FormErrors Errors { get; } = new();

    public ProgrammeResource Programme { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return NotFound();
        }

        Programme = programme;
        Name = programme.Name;
        NameZh = programme.NameZh;
        StartDate = programme.StartDate;
        EndDate = programme.EndDate;
        TimeZone = programme.TimeZone;
        Areas = string.Join(", ", programme.Areas);
        Version = programme.Version;
        return Page();
    }

    internal EditConflict? Conflict { get; private set; }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return NotFound();
        }

        Programme = programme;
        var input = new ProgrammeInput(EditForms.Blank(Name), EditForms.Blank(StartDate), EditForms.Blank(EndDate), EditForms.Blank(TimeZone),
            EngagementForm.SplitAreas(Areas), NameZh: EditForms.Blank(NameZh));
        var outcome = Version is { } expected
            ? await commands.UpdateProgramme(id, (_, _) => input, expected, ct)
            : EditForms.MissingVersion();
        if (outcome.Succeeded)
        {
            return Redirect($"/programmes/{id}?notice=saved");
        }

        var failure = outcome.Failure!;
        Response.StatusCode = EditForms.StatusOf(failure);
        if (failure.IsStale && await queries.Programme(id, ct) is { } now)
        {
            Programme = now;
            Conflict = EditConflict.Between(failure, now.Version, Shown(now.Name, now.StartDate, now.EndDate, now.TimeZone, now.Areas),
                Shown(Name, StartDate, EndDate, TimeZone, EngagementForm.SplitAreas(Areas)));
            Version = now.Version;
            return Page();
        }

        EditForms.Show(failure, Errors);
        return Page();
    }

    private (string, string, string?)[] Shown(string? name, string? startDate, string? endDate, string? timeZone, IEnumerable<string> areas) =>
    [
        ("name", L["Name"], name), ("startDate", L["First day"], startDate), ("endDate", L["Last day"], endDate), ("timeZone", L["Home time zone"], timeZone),
        ("areas", L["Research areas"], string.Join(", ", areas)),
    ];
}
