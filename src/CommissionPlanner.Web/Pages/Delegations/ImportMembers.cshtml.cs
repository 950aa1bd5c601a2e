using CommissionPlanner.Domain.Members;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Members;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommissionPlanner.Web.Pages.Delegations;

/// <summary>
/// Members from a spreadsheet: upload, see the mapping the headers suggest (or the one remembered for the delegation) and a
/// dry run row by row, adjust the mapping and check again, then commit; all through <see cref="MemberSheetCommands.Import"/>,
/// the command behind <c>POST /api/delegations/{id}/members/import</c>. The file travels with the form between the steps (a
/// hidden field), so nothing is kept on the server until the commit writes it.
/// </summary>
[PageAuthorize(Policies.Plan)]
[RequestSizeLimit(MemberSheetsApi.MaxUploadBytes * 2)]
[RequestFormLimits(MultipartBodyLengthLimit = MemberSheetsApi.MaxUploadBytes * 2, ValueLengthLimit = (int)MemberSheetsApi.MaxUploadBytes * 2)]
public sealed class ImportMembersModel(PlanningQueries queries, MemberSheetCommands commands) : PlannerPageModel
{
    public DelegationResource Delegation { get; private set; } = null!;

    /// <summary>The file as uploaded, base64, carried from the dry run to the commit.</summary>
    [BindProperty] public string? Sheet { get; set; }

    [BindProperty] public string? FileName { get; set; }

    /// <summary>The mapping as the form shows it: one header and one chosen field (empty to ignore) per column.</summary>
    [BindProperty] public List<string> Header { get; set; } = [];

    [BindProperty] public List<string> Field { get; set; } = [];

    public MemberSheetReport? Report { get; private set; }

    public IReadOnlyDictionary<string, string[]> SheetErrors { get; private set; } = new Dictionary<string, string[]>();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await Load(id, ct) ? Page() : NotFound();

    /// <summary>Upload, or check again with an adjusted mapping: a dry run, which writes nothing.</summary>
    public Task<IActionResult> OnPostCheckAsync(Guid id, IFormFile? file, CancellationToken ct) => Run(id, file, dryRun: true, ct);

    public Task<IActionResult> OnPostCommitAsync(Guid id, CancellationToken ct) => Run(id, null, dryRun: false, ct);

    private async Task<IActionResult> Run(Guid id, IFormFile? file, bool dryRun, CancellationToken ct)
    {
        if (!await Load(id, ct))
        {
            return NotFound();
        }

        byte[] bytes;
        IReadOnlyDictionary<string, string?>? mapping = null;
        if (file is { Length: > 0 })
        {
            // A new file: its own headers decide the mapping (remembered or suggested), not the previous file's.
            if (file.Length > SheetFiles.MaxBytes)
            {
                return Show(L["The file is {0:N0} KB; a member sheet may be at most {1} MB.", file.Length / 1024, SheetFiles.MaxBytes / 1024 / 1024], StatusCodes.Status413PayloadTooLarge);
            }

            bytes = await MemberSheetsApi.Bytes(file, ct);
            FileName = Path.GetFileName(file.FileName);
        }
        else if (!string.IsNullOrEmpty(Sheet) && TryBase64(Sheet, out var carried))
        {
            bytes = carried;
            var asked = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (var index = 0; index < Header.Count; index++)
            {
                if (!string.IsNullOrEmpty(Header[index]))
                {
                    asked[Header[index]] = FieldAt(index);
                }
            }

            mapping = asked;
        }
        else
        {
            return Show(L["Choose an .xlsx or .csv file to upload."], StatusCodes.Status400BadRequest);
        }

        Sheet = Convert.ToBase64String(bytes);
        var outcome = await commands.Import(id, bytes, FileName, mapping, dryRun, User, ct);
        if (!outcome.Succeeded)
        {
            if (outcome.Failure!.Kind == FailureKind.NotFound)
            {
                return NotFound();
            }

            SheetErrors = outcome.Failure.Errors;
            return Show(outcome.Failure.Message, EditForms.StatusOf(outcome.Failure));
        }

        Report = outcome.Value;
        Header = [.. Report.Columns.Select(c => c.Header)];
        Field = [.. Report.Columns.Select(c => c.Column?.ToWire() ?? string.Empty)];
        if (!dryRun && !Report.Refused)
        {
            return Redirect($"/delegations/{id}?notice=members-imported");
        }

        if (!dryRun)
        {
            return Show(L["Nothing was imported: correct the refused rows and check again."], StatusCodes.Status400BadRequest);
        }

        return Page();

        string? FieldAt(int index) => index < Field.Count && !string.IsNullOrEmpty(Field[index]) ? Field[index] : null;
    }

    private PageResult Show(string problem, int status)
    {
        Problem = problem;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> Load(Guid id, CancellationToken ct)
    {
        if (await queries.Delegation(id, ct) is not { } delegation)
        {
            return false;
        }

        Delegation = delegation;
        return true;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
