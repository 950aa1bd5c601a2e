using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;

namespace CommissionPlanner.Web.Pages.Logistics;

/// <summary>
/// A delegation's stays matrix: each member against each night (dates local to the hotel, as a stay's are), the hotel
/// they sleep at, then every stay in full. Nights run over the programme's days and any stay's nights beyond them.
/// </summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class StaysModel(PlanningQueries queries, LogisticsQueries logistics) : PlannerPageModel
{
    public DelegationResource Delegation { get; private set; } = null!;

    public IReadOnlyList<LocalDate> Nights { get; private set; } = [];

    public IReadOnlyList<StayResource> Stays { get; private set; } = [];

    /// <summary>The member's stay covering a night (a night belongs to the stay whose check-in is on or before it and check-out after it).</summary>
    public StayResource? On(Guid personId, LocalDate night) =>
        Stays.FirstOrDefault(s => s.PersonId == personId && Parse(s.CheckIn) <= night && night < Parse(s.CheckOut));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Delegation(id, ct) is not { } delegation || await queries.Programme(delegation.ProgrammeId, ct) is not { } programme)
        {
            return NotFound();
        }

        Delegation = delegation;
        var members = delegation.Members.Select(m => m.Id).ToHashSet();
        Stays = [.. (await logistics.ProgrammeStays(programme.Id, ct)).Where(s => members.Contains(s.PersonId))
            .OrderBy(s => delegation.Members.ToList().FindIndex(m => m.Id == s.PersonId)).ThenBy(s => s.CheckIn, StringComparer.Ordinal)];

        // The nights of a stay are its check-in date up to the day before check-out; the programme's days bound the
        // matrix unless a stay starts before or ends after them.
        var first = Parse(programme.StartDate);
        var last = Parse(programme.EndDate);
        foreach (var stay in Stays)
        {
            first = LocalDate.Min(first, Parse(stay.CheckIn));
            last = LocalDate.Max(last, Parse(stay.CheckOut).PlusDays(-1));
        }

        Nights = [.. RoomAllocation.Nights(first, last.PlusDays(1))];
        return Page();
    }

    /// <summary>A date as the resources write it (always valid: it came from the database).</summary>
    private static LocalDate Parse(string date) => LocalDatePattern.Iso.Parse(date).Value;
}
