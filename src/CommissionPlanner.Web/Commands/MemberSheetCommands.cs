using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Domain.Members;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Members;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;

namespace CommissionPlanner.Web.Commands;

/// <summary>What a member sheet did (or, in a dry run, would do): every row, the counts, and the mapping it was read with.</summary>
public sealed record MemberSheetReport(
    IReadOnlyList<PlannedRow> Rows, ImportCounts Counts, IReadOnlyList<MappedColumn> Columns, bool DryRun, bool Written)
{
    /// <summary>A commit with any refused row writes nothing: the API answers 400 with this same report.</summary>
    public bool Refused => Counts.Refused > 0;
}

/// <summary>
/// Members from a spreadsheet, for <c>POST /api/delegations/{id}/members/import</c> and the upload page alike: the file read
/// by <see cref="SheetFiles"/>, its rows turned into member specs by <see cref="MemberSheet"/> (the member API's own rules),
/// and one call to the delegation grain, which decides every row on the members as stored and writes all or nothing.
/// </summary>
public sealed class MemberSheetCommands(IGrainFactory grains, PlanningQueries queries)
{
    public async Task<Outcome<MemberSheetReport>> Import(
        Guid delegationId, byte[] file, string? fileName, IReadOnlyDictionary<string, string?>? mapping, bool dryRun, ClaimsPrincipal caller,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(caller);
        // Only whether it exists, so an unknown delegation is a 404 before the file is read: its members are the grain's to read.
        if (!await queries.DelegationExists(delegationId, ct))
        {
            return Failure.NotFound("delegation");
        }

        var errors = new FieldErrors();
        if (SheetFiles.FormatOf(fileName) is not { } format)
        {
            errors.Add("file", "Upload an .xlsx workbook or a .csv file (UTF-8 or UTF-16), with the column headers in row 1.");
            return Failure.Invalid(errors, "The file is not a member sheet.");
        }

        if (SheetFiles.Read(file, format, errors) is not { } sheet)
        {
            return Failure.Invalid(errors, "The file cannot be read; nothing was imported.");
        }

        var grain = grains.GetGrain<IDelegationGrain>(delegationId);
        var remembered = await grain.RememberedMapping() is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null;
        var columns = MemberSheet.Map(sheet, mapping, remembered, errors);
        var reading = errors.Any ? null : MemberSheet.Read(sheet, columns, errors);
        if (reading is null || errors.Any)
        {
            return Failure.Invalid(errors, "The sheet's header row or the column mapping cannot be used; nothing was imported.");
        }

        var answer = await grain.ImportMembers(reading, commit: !dryRun, caller.Actor());
        if (!answer.Result.Succeeded)
        {
            return Failure.From(answer.Result, "delegation");
        }

        return Outcome.Success(new MemberSheetReport(answer.Rows, ImportCounts.Of(answer.Rows), columns, dryRun, answer.Written));
    }
}
