using CommissionPlanner.Data;
using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Members;
using Microsoft.EntityFrameworkCore;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Delegations;

/// <summary>A delegation's people × engagements matrix, as <c>GET /api/delegations/{id}/matrix</c> reads it; CSV as that endpoint writes it.</summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class DelegationModel(ListQueries lists, MemberSheetExport sheets, IDbContextFactory<PlannerDbContext> dbFactory) : PlannerPageModel
{
    public DelegationMatrix Matrix { get; private set; } = null!;

    /// <summary>The members' recorded needs, for admin and organiser callers only (null for anyone else).</summary>
    public DelegationNeeds? Needs { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await lists.Matrix(id, ct) is not { } matrix)
        {
            return NotFound();
        }

        Matrix = matrix;
        if (User.IsPlanner())
        {
            Needs = await DelegationNeeds.Read(dbFactory, id, ct);
        }

        return Page();
    }

    /// <summary>The bytes <c>GET /api/delegations/{id}/members/export</c> answers (.xlsx), for admin and organiser callers.</summary>
    public async Task<IActionResult> OnGetMembersSheetAsync(Guid id, CancellationToken ct)
    {
        if (!User.IsPlanner())
        {
            return ForbiddenPage();
        }

        if (await sheets.Write(id, SheetFormat.Xlsx, ct) is not { } bytes)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        return File(bytes, SheetFiles.XlsxContentType, $"delegation-{id}-members.xlsx");
    }

    /// <summary>The bytes <c>GET /api/delegations/{id}/matrix?format=csv</c> answers, under the page's cookie sign-in.</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        await Downloads.Send(HttpContext, await ListsApi.Matrix(id.ToString(), "csv", HttpContext, lists, ct), $"delegation-{id}-matrix.csv");
        return new EmptyResult();
    }
}
