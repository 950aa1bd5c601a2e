using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Domain.Members;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Members;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>One row of an import answer, as the contract names it.</summary>
public sealed record MemberImportRowResource(
    int Row, string Outcome, Guid? PersonId, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>The contract's import answer, <c>{rows, counts}</c>, with the mapping used (header → field, null when ignored) and whether it was a dry run.</summary>
public sealed record MemberImportResource(
    IReadOnlyList<MemberImportRowResource> Rows, ImportCounts Counts, IReadOnlyDictionary<string, string?> Mapping, bool DryRun)
{
    public static MemberImportResource From(MemberSheetReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(
            [.. report.Rows.Select(r => new MemberImportRowResource(r.Row, r.Outcome.ToWire(),
                report.DryRun && r.Outcome == RowOutcome.Created ? null : r.PersonId, r.Errors.Count == 0 ? null : r.Errors))],
            report.Counts,
            report.Columns.Where(c => c.Header.Length > 0).ToDictionary(c => c.Header, c => c.Column?.ToWire(), StringComparer.Ordinal),
            report.DryRun);
    }
}

public static class MemberSheetsApi
{
    /// <summary>The file's limit plus room for the multipart framing and the mapping field.</summary>
    public const long MaxUploadBytes = SheetFiles.MaxBytes + (256 * 1024);

    public static RouteGroupBuilder MapMemberSheetsApi(this RouteGroupBuilder api)
    {
        var members = api.MapGroup("/delegations/{id}/members").WithTags("Delegations").RequireAuthorization(Policies.Plan);
        members.MapPost("/import", Import).WithName("ImportMembers")
            .WithSummary("Members from a spreadsheet (.xlsx or .csv in the multipart field 'file', optional 'mapping' JSON: header → field); ?dryRun=true writes nothing; a commit with a refused row writes nothing and answers 400.")
            .Produces<MemberImportResource>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes))
            .DisableAntiforgery();
        members.MapGet("/export", Export).WithName("ExportMembers")
            .WithSummary("The members and their needs in the import layout: ?format=xlsx (default) or csv.");
        return api;
    }

    private static async Task<IResult> Import(
        string id, HttpContext http, ClaimsPrincipal user, MemberSheetCommands commands, bool? dryRun, CancellationToken ct)
    {
        if (!Problems.TryParseId(id, out var delegationId))
        {
            return Problems.NotFound("delegation");
        }

        if (!http.Request.HasFormContentType)
        {
            return Problems.BadRequest("file", "Send the sheet as multipart/form-data, the file in the field 'file'.");
        }

        var form = await http.Request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file || file.Length == 0)
        {
            return Problems.BadRequest("file", "The multipart field 'file' must hold the sheet (.xlsx or .csv).");
        }

        if (file.Length > SheetFiles.MaxBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large.",
                detail: $"A member sheet may be at most {SheetFiles.MaxBytes / 1024 / 1024} MB; this one is {file.Length / 1024:N0} KB.");
        }

        var errors = new FieldErrors();
        var mapping = Mapping(form["mapping"].ToString(), errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var bytes = await Bytes(file, ct);
        var outcome = await commands.Import(delegationId, bytes, file.FileName, mapping, dryRun ?? false, user, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Failure!.ToProblem();
        }

        var body = MemberImportResource.From(outcome.Value);
        return outcome.Value.Refused && !outcome.Value.DryRun
            ? TypedResults.Json(body, statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.Ok(body);
    }

    private static async Task<IResult> Export(string id, string? format, HttpContext http, MemberSheetExport export, CancellationToken ct)
    {
        if (!Problems.TryParseId(id, out var delegationId))
        {
            return Problems.NotFound("delegation");
        }

        SheetFormat? chosen = format?.ToLowerInvariant() switch { null or "" or "xlsx" => SheetFormat.Xlsx, "csv" => SheetFormat.Csv, _ => null };
        if (chosen is not { } sheetFormat)
        {
            return Problems.BadRequest("format", "'format' must be xlsx or csv.");
        }

        if (await export.Write(delegationId, sheetFormat, ct) is not { } bytes)
        {
            return Problems.NotFound("delegation");
        }

        var name = $"delegation-{delegationId}-members.{(sheetFormat == SheetFormat.Csv ? "csv" : "xlsx")}";
        http.Response.Headers.CacheControl = "no-store"; // it carries people's needs
        return TypedResults.File(bytes, sheetFormat == SheetFormat.Csv ? Planning.CsvWriter.ContentType : SheetFiles.XlsxContentType, name);
    }

    /// <summary>The optional mapping field: a JSON object of header → field wire name (a string, or null/"" to ignore the column).</summary>
    internal static IReadOnlyDictionary<string, string?>? Mapping(string? text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("mapping", "'mapping' must be a JSON object: column header → member field.");
                return null;
            }

            var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    errors.Add($"mapping.{property.Name}", $"The field for '{property.Name}' must be a string (or null to ignore the column).");
                    continue;
                }

                result[property.Name.Trim()] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString();
            }

            return result;
        }
        catch (JsonException)
        {
            errors.Add("mapping", "'mapping' is not valid JSON; send a JSON object: column header → member field.");
            return null;
        }
    }

    internal static async Task<byte[]> Bytes(IFormFile file, CancellationToken ct)
    {
        using var buffer = new MemoryStream((int)file.Length);
        await using var stream = file.OpenReadStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
