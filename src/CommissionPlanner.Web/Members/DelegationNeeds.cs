using CommissionPlanner.Data;
using CommissionPlanner.Web.Lists;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Web.Members;

/// <summary>One member's recorded needs, as the delegation's needs summary shows them.</summary>
public sealed record MemberNeeds(
    Guid PersonId, string FullName, string? Dietary, string? Accessibility, string? InterpreterLanguage, string? Nationality, string? SecurityClearance);

/// <summary>
/// A delegation's needs summary: each member in protocol order with what is recorded for them, and how many share each
/// dietary requirement (trimmed, compared case-insensitively, as the engagements' dietary counts are). Sensitive: pages
/// show it to admin and organiser callers only.
/// </summary>
public sealed record DelegationNeeds(IReadOnlyList<MemberNeeds> People, IReadOnlyList<DietaryCount> Dietary)
{
    public static async Task<DelegationNeeds> Read(IDbContextFactory<PlannerDbContext> dbFactory, Guid delegationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.People.AsNoTracking().Where(p => p.DelegationId == delegationId)
            .OrderBy(p => p.ProtocolOrder).ThenBy(p => p.CreatedAt)
            .GroupJoin(db.PersonLogistics.AsNoTracking(), p => p.Id, l => l.PersonId, (p, l) => new { Person = p, Needs = l })
            .SelectMany(x => x.Needs.DefaultIfEmpty(), (x, l) => new MemberNeeds(
                x.Person.Id, x.Person.FullName, l!.Dietary, l.Accessibility, l.InterpreterLanguage, l.Nationality, l.SecurityClearance))
            .ToListAsync(ct);
        var dietary = rows.Where(r => !string.IsNullOrWhiteSpace(r.Dietary))
            .GroupBy(r => r.Dietary!.Trim(), StringComparer.OrdinalIgnoreCase)
            .Select(g => new DietaryCount(g.First().Dietary!.Trim(), g.Count()))
            .OrderBy(d => d.Requirement, StringComparer.OrdinalIgnoreCase).ToList();
        return new DelegationNeeds(rows, dietary);
    }
}
