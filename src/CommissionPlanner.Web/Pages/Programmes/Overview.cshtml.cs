using CommissionPlanner.Data.Import;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Programmes;

[PageAuthorize(Policies.ReadProgramme)]
public sealed class OverviewModel(PlanningQueries queries) : PlannerPageModel
{
    public ProgrammeResource Programme { get; private set; } = null!;

    public IReadOnlyList<EngagementResource> Engagements { get; private set; } = [];

    public IReadOnlyList<DelegationResource> Delegations { get; private set; } = [];

    public IReadOnlyList<ClashResource> Conflicts { get; private set; } = [];

    public HashSet<Guid> Clashing { get; } = [];

    public DelegationResource? HomeDelegation { get; private set; }

    public string? HomeZone => Display.HomeZone(HomeDelegation?.Country);

    [BindProperty(SupportsGet = true, Name = "person")]
    public Guid? PersonId { get; set; }

    [BindProperty(SupportsGet = true, Name = "home")]
    public Guid? HomeId { get; set; }

    public PersonResource? Person { get; private set; }

    public string PersonName(Guid id) =>
        Delegations.SelectMany(d => d.Members).FirstOrDefault(m => m.Id == id)?.FullName ?? id.ToString();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return NotFound();
        }

        Programme = programme;
        Delegations = await queries.Delegations(id, ct);
        var all = await queries.Engagements(id, null, null, null, ct);
        Conflicts = await queries.Conflicts(id, ct);
        if (PersonId is { } personId && await queries.Itinerary(personId, ct) is { } itinerary && itinerary.Person.ProgrammeId == id)
        {
            // The per-person view: their engagements and their own clashes.
            Person = itinerary.Person;
            var theirs = itinerary.Entries.Select(e => e.EngagementId).ToHashSet();
            Engagements = [.. all.Where(e => theirs.Contains(e.Id))];
            Conflicts = itinerary.Warnings;
            HomeDelegation = Delegations.FirstOrDefault(d => d.Id == itinerary.Person.DelegationId);
        }
        else
        {
            PersonId = null;
            Engagements = all;
        }

        HomeDelegation = Delegations.FirstOrDefault(d => d.Id == HomeId) ?? HomeDelegation ?? (Delegations.Count > 0 ? Delegations[0] : null);
        foreach (var clash in Conflicts)
        {
            Clashing.UnionWith(clash.EngagementIds);
        }

        return Page();
    }

    /// <summary>The export document, exactly as <c>GET /api/programmes/{id}/export</c> writes it, as a download.</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, CancellationToken ct)
    {
        var exporter = HttpContext.RequestServices.GetRequiredService<ProgrammeExporter>();
        await Downloads.Send(HttpContext, await ImportExportApi.ExportProgramme(id.ToString(), exporter, ct), $"programme-{id}.json");
        return new EmptyResult();
    }
}
