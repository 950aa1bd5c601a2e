using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Delegations;

[PageAuthorize(Policies.ReadProgramme)]
public sealed class PrintDelegationModel(PlanningQueries queries) : PlannerPageModel
{
    public DelegationResource Delegation { get; private set; } = null!;

    public IReadOnlyList<PrintItinerary> People { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Delegation(id, ct) is not { } delegation)
        {
            return NotFound();
        }

        Delegation = delegation;
        var people = new List<PrintItinerary>();
        foreach (var member in delegation.Members)
        {
            if (await PrintItinerary.LoadAsync(queries, User, member.Id, ct) is { } print)
            {
                people.Add(print);
            }
        }

        People = people;
        return Page();
    }
}
