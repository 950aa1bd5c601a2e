using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Members;

/// <summary>What an import does with a row: the contract's outcome names.</summary>
public enum RowOutcome
{
    Created,
    Updated,
    Unchanged,
    Refused,
}

public static class RowOutcomes
{
    private static readonly WireNameMap<RowOutcome> Map = new(
        (RowOutcome.Created, "created"), (RowOutcome.Updated, "updated"), (RowOutcome.Unchanged, "unchanged"), (RowOutcome.Refused, "refused"));

    public static IReadOnlyList<string> WireNames => Map.Names;

    public static string ToWire(this RowOutcome value) => Map.ToWire(value);
}

/// <summary>A member of the delegation as stored: who they are and what needs are recorded for them.</summary>
public sealed record ExistingMember(Guid Id, MemberSpec Member, LogisticsSpec Needs);

/// <summary>
/// What one row would do: its outcome, the member it creates or changes (with the id a created one gets) and the values
/// to write. <see cref="MemberChanged"/> and <see cref="NeedsChanged"/> say which of the two records moves.
/// </summary>
public sealed record PlannedRow(
    int Row, RowOutcome Outcome, Guid? PersonId, MemberSpec? Member, LogisticsSpec? Needs, bool MemberChanged, bool NeedsChanged,
    IReadOnlyDictionary<string, string[]> Errors);

/// <summary>Counts of the outcomes, as the import answer carries them.</summary>
public sealed record ImportCounts(int Created, int Updated, int Unchanged, int Refused)
{
    public static ImportCounts Of(IEnumerable<PlannedRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        return new(list.Count(r => r.Outcome == RowOutcome.Created), list.Count(r => r.Outcome == RowOutcome.Updated),
            list.Count(r => r.Outcome == RowOutcome.Unchanged), list.Count(r => r.Outcome == RowOutcome.Refused));
    }

    public bool WritesSomething() => Created + Updated > 0;
}

/// <summary>
/// Decides what a sheet does to a delegation: each row matched by e-mail to the members stored, created when there is no
/// match, updated when a mapped field differs, unchanged otherwise (so the same sheet twice changes nothing). A field whose
/// column is not mapped keeps what is stored. The delegation grain calls it on the members it has just read, in the
/// transaction it writes in; a dry run answers the same decision and writes nothing.
/// </summary>
public static class MemberImport
{
    public static IReadOnlyList<PlannedRow> Decide(
        IReadOnlyList<SheetMember> rows, IReadOnlyCollection<MemberColumn> mapped, IReadOnlyList<ExistingMember> existing, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(mapped);
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(newId);
        var byEmail = existing.ToDictionary(m => m.Member.Email, StringComparer.Ordinal);
        var result = new List<PlannedRow>(rows.Count);
        foreach (var row in rows)
        {
            if (!row.IsValid || row.Member is null)
            {
                result.Add(new PlannedRow(row.Row, RowOutcome.Refused, null, null, null, false, false, row.Errors));
                continue;
            }

            var needs = row.Needs ?? new LogisticsSpec(null, null, null, null, null);
            if (!byEmail.TryGetValue(row.Member.Email, out var current))
            {
                var anyNeed = needs != new LogisticsSpec(null, null, null, null, null);
                result.Add(new PlannedRow(row.Row, RowOutcome.Created, newId(), row.Member, needs, true, anyNeed, row.Errors));
                continue;
            }

            var member = Merge(current.Member, row.Member, mapped);
            var mergedNeeds = Merge(current.Needs, needs, mapped);
            var memberChanged = member != current.Member;
            var needsChanged = mergedNeeds != current.Needs;
            result.Add(new PlannedRow(row.Row, memberChanged || needsChanged ? RowOutcome.Updated : RowOutcome.Unchanged, current.Id,
                member, mergedNeeds, memberChanged, needsChanged, row.Errors));
        }

        return result;
    }

    private static MemberSpec Merge(MemberSpec stored, MemberSpec sheet, IReadOnlyCollection<MemberColumn> mapped) => new(
        mapped.Contains(MemberColumn.FullName) ? sheet.FullName : stored.FullName,
        mapped.Contains(MemberColumn.LocalName) ? sheet.LocalName : stored.LocalName,
        mapped.Contains(MemberColumn.Organisation) ? sheet.Organisation : stored.Organisation,
        mapped.Contains(MemberColumn.Title) ? sheet.Title : stored.Title,
        stored.Email,
        mapped.Contains(MemberColumn.Role) ? sheet.Role : stored.Role);

    private static LogisticsSpec Merge(LogisticsSpec stored, LogisticsSpec sheet, IReadOnlyCollection<MemberColumn> mapped) => new(
        mapped.Contains(MemberColumn.Dietary) ? sheet.Dietary : stored.Dietary,
        mapped.Contains(MemberColumn.Accessibility) ? sheet.Accessibility : stored.Accessibility,
        mapped.Contains(MemberColumn.InterpreterLanguage) ? sheet.InterpreterLanguage : stored.InterpreterLanguage,
        mapped.Contains(MemberColumn.Nationality) ? sheet.Nationality : stored.Nationality,
        mapped.Contains(MemberColumn.SecurityClearance) ? sheet.SecurityClearance : stored.SecurityClearance);
}
