using CommissionPlanner.Data;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Web.Members;

/// <summary>
/// A delegation's members as a sheet in the import layout (one column per <see cref="MemberColumn"/>, headed as
/// <see cref="MemberColumns.Header"/> says, members in protocol order), so a sheet can travel out and back unchanged.
/// It carries the needs: admin and organiser callers only.
/// </summary>
public sealed class MemberSheetExport(IDbContextFactory<PlannerDbContext> dbFactory)
{
    public async Task<byte[]?> Write(Guid delegationId, SheetFormat format, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Delegations.AnyAsync(d => d.Id == delegationId, ct))
        {
            return null;
        }

        var people = await db.People.AsNoTracking().Where(p => p.DelegationId == delegationId)
            .OrderBy(p => p.ProtocolOrder).ThenBy(p => p.CreatedAt)
            .GroupJoin(db.PersonLogistics.AsNoTracking(), p => p.Id, l => l.PersonId, (p, l) => new { Person = p, Needs = l })
            .SelectMany(x => x.Needs.DefaultIfEmpty(), (x, l) => new { x.Person, Needs = l })
            .ToListAsync(ct);
        var header = MemberColumns.All.Select(c => c.Header()).ToList();
        var rows = people.Select(x => (IReadOnlyList<string?>)
        [
            x.Person.FullName, x.Person.LocalName, x.Person.Organisation, x.Person.Title, x.Person.Email, DelegateRoles.ToWire(x.Person.Role),
            x.Needs?.Dietary, x.Needs?.Accessibility, x.Needs?.InterpreterLanguage, x.Needs?.Nationality, x.Needs?.SecurityClearance,
        ]).ToList();
        return SheetFiles.Write(format, header, rows);
    }
}
