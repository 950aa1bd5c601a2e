using System.Text.Json;
using CommissionPlanner.Data.Import;
using CommissionPlanner.Web.Tests.Infrastructure;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Import;

/// <summary>The importer and exporter used directly, on the test host's database.</summary>
public sealed class ProgrammeImporterTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sample_imports_with_every_row_created_and_again_with_nothing_changed()
    {
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var first = await fixture.Importer().ImportAsync(doc, Cancel);
        Assert.True(first.Succeeded, Describe(first));
        var summary = first.Summary!;
        Assert.True(summary.CreatedProgramme);
        Assert.Equal(new ImportCounts(1, 0, 0), summary.Counts.Programme);
        Assert.Equal(new ImportCounts(9, 0, 0), summary.Counts.Venues);
        Assert.Equal(new ImportCounts(2, 0, 0), summary.Counts.Delegations);
        Assert.Equal(new ImportCounts(17, 0, 0), summary.Counts.People);
        Assert.Equal(new ImportCounts(14, 0, 0), summary.Counts.Engagements);
        Assert.Equal(new ImportCounts(119, 0, 0), summary.Counts.Attendees);
        Assert.Equal(new ImportCounts(2, 0, 0), summary.Counts.Vehicles);
        Assert.Equal(new ImportCounts(5, 0, 0), summary.Counts.RoomBlocks);
        Assert.Equal(new ImportCounts(18, 0, 0), summary.Counts.Stays);

        var before = await ImportSample.Versions(fixture.App.ConnectionString, summary.ProgrammeId, Cancel);
        var again = await fixture.Importer().ImportAsync(doc, Cancel);
        Assert.True(again.Succeeded, Describe(again));
        Assert.False(again.Summary!.CreatedProgramme);
        Assert.Equal(summary.ProgrammeId, again.Summary.ProgrammeId);
        Assert.True(again.Summary.NothingChanged, JsonSerializer.Serialize(again.Summary));
        Assert.Equal(new ImportCounts(0, 0, 119), again.Summary.Counts.Attendees);
        Assert.Equal(new ImportCounts(0, 0, 18), again.Summary.Counts.Stays);
        Assert.Equal(before, await ImportSample.Versions(fixture.App.ConnectionString, summary.ProgrammeId, Cancel));
    }

    [Fact]
    public async Task Export_then_import_then_export_gives_identical_json()
    {
        var imported = await fixture.Importer().ImportAsync(ImportSample.Load(ImportSample.NewPrefix()), Cancel);
        var id = imported.Summary!.ProgrammeId;
        var exported = (await fixture.Exporter().ExportAsync(id, Cancel))!;
        var before = await ImportSample.Versions(fixture.App.ConnectionString, id, Cancel);

        var reimported = await fixture.Importer().ImportAsync(exported, Cancel);
        Assert.True(reimported.Succeeded, Describe(reimported));
        Assert.True(reimported.Summary!.NothingChanged, JsonSerializer.Serialize(reimported.Summary));
        Assert.Equal(before, await ImportSample.Versions(fixture.App.ConnectionString, id, Cancel));
        Assert.Equal(ImportSample.Serialize(exported), ImportSample.Serialize((await fixture.Exporter().ExportAsync(id, Cancel))!));
    }

    [Fact]
    public async Task The_export_says_what_the_sample_says()
    {
        var prefix = ImportSample.NewPrefix();
        var doc = ImportSample.Load(prefix);
        var imported = await fixture.Importer().ImportAsync(doc, Cancel);
        var exported = (await fixture.Exporter().ExportAsync(imported.Summary!.ProgrammeId, Cancel))!;

        Assert.Equal(doc.Programme, exported.Programme! with { Areas = doc.Programme!.Areas });
        Assert.Equal(doc.Programme.Areas, exported.Programme!.Areas);
        // The export lists engagements in time order and venues in the order they are first used; the sample lists them in
        // the order they were written, so each is found by its externalId.
        Assert.Equal(doc.Venues!.Select(v => v!.ExternalId).Order(StringComparer.Ordinal), exported.Venues!.Select(v => v!.ExternalId).Order(StringComparer.Ordinal));
        foreach (var venue in doc.Venues!)
        {
            Assert.Equal(venue, exported.Venues!.Single(v => v!.ExternalId == venue!.ExternalId));
        }

        Assert.Equal(doc.Delegations!.Select(d => d!.ExternalId), exported.Delegations!.Select(d => d!.ExternalId));
        Assert.Equal(doc.Delegations![1]!.Members, exported.Delegations![1]!.Members);
        Assert.Equal(doc.Engagements!.Select(e => e!.ExternalId).Order(StringComparer.Ordinal), exported.Engagements!.Select(e => e!.ExternalId).Order(StringComparer.Ordinal));
        Assert.Equal(exported.Engagements!.OrderBy(e => e!.Start ?? e.Departure, StringComparer.Ordinal).Select(e => e!.ExternalId), exported.Engagements!.Select(e => e!.ExternalId));
        for (var i = 0; i < doc.Engagements!.Count; i++)
        {
            var expected = doc.Engagements[i]!;
            var actual = exported.Engagements!.Single(e => e!.ExternalId == expected.ExternalId)!;
            Assert.Equal(expected with { Areas = null, Attendees = null }, actual with { Areas = null, Attendees = null });
            Assert.Equal(expected.Areas ?? [], actual.Areas ?? []);
            Assert.Equal(
                expected.Attendees!.OrderBy(a => a!.Person, StringComparer.Ordinal),
                actual.Attendees!.OrderBy(a => a!.Person, StringComparer.Ordinal));
        }

        // Attendees come in protocol order: the UK delegation (created first) from its head down, then the Chinese.
        var plenary = exported.Engagements!.Single(e => e!.ExternalId == doc.Engagements[1]!.ExternalId)!.Attendees!.Select(a => a!.Person!).ToList();
        Assert.Equal(prefix + "uk-minister", plenary[0]);
        Assert.Equal(prefix + "uk-royal-society", plenary[1]);
        Assert.Equal(prefix + "cn-vice-minister", plenary[12]);
    }

    [Fact]
    public async Task Two_concurrent_imports_of_a_new_document_create_it_once()
    {
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var outcomes = await Task.WhenAll(fixture.Importer().ImportAsync(doc, Cancel), fixture.Importer().ImportAsync(doc, Cancel));
        Assert.All(outcomes, o => Assert.True(o.Succeeded, Describe(o)));
        Assert.Single(outcomes, o => o.Summary!.CreatedProgramme);
        Assert.Single(outcomes, o => o.Summary!.NothingChanged);
        Assert.Equal(outcomes[0].Summary!.ProgrammeId, outcomes[1].Summary!.ProgrammeId);
    }

    [Fact]
    public async Task Attendees_and_engagements_absent_from_the_document_are_left_alone_and_still_count_for_clashes()
    {
        var prefix = ImportSample.NewPrefix();
        var doc = ImportSample.Load(prefix);
        var id = (await fixture.Importer().ImportAsync(doc, Cancel)).Summary!.ProgrammeId;

        // Without the flight and the CCUS visit: both stay as they are.
        var shorter = doc with { Engagements = [.. doc.Engagements!.Take(6)] };
        var outcome = await fixture.Importer().ImportAsync(shorter, Cancel);
        Assert.True(outcome.Summary!.NothingChanged, JsonSerializer.Serialize(outcome.Summary));
        var exported = (await fixture.Exporter().ExportAsync(id, Cancel))!;
        Assert.Equal(14, exported.Engagements!.Count);

        // A new engagement in Beijing while the minister is on the stored (but absent) flight to Guangzhou is refused.
        var clash = shorter with
        {
            Engagements =
            [
                .. shorter.Engagements!,
                new EngagementData(prefix + "extra", "meeting", "Breakfast at the embassy", prefix + "british-embassy-beijing", null, null,
                    "2025-11-12T08:30", "2025-11-12T09:30", null, null, null, ["health"], null, null, null, null, null, "tentative",
                    [new AttendeeData(prefix + "uk-minister", "required", "accepted")]),
            ],
        };
        var refused = await fixture.Importer().ImportAsync(clash, Cancel);
        Assert.False(refused.Succeeded);
        var errors = refused.Errors!.ToDictionary();
        Assert.Contains("engagements[6].attendees[0].person", errors.Keys);
        Assert.Contains("two places at once", errors["engagements[6].attendees[0].person"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirmed_is_refused_when_the_review_is_required_and_a_sensitive_venue_requires_one()
    {
        var doc = ImportSample.Load(ImportSample.NewPrefix())
            .WithEngagement(4, e => e with { Areas = ["quantum-computing"] })
            .WithVenue(5, v => v with { Sensitive = true });
        var outcome = await fixture.Importer().ImportAsync(doc, Cancel);
        Assert.False(outcome.Succeeded);
        var errors = outcome.Errors!.ToDictionary();
        // The CCUS Centre's visit and the two transfers to and from it (12, 13) touch the sensitive venue.
        Assert.Equal(["engagements[12].status", "engagements[13].status", "engagements[4].status", "engagements[7].status"],
            errors.Keys.Order(StringComparer.Ordinal));

        var tentative = doc.WithEngagement(4, e => e with { Status = "tentative" }).WithEngagement(7, e => e with { Status = "tentative" })
            .WithEngagement(12, e => e with { Status = "tentative" }).WithEngagement(13, e => e with { Status = "tentative" });
        var imported = await fixture.Importer().ImportAsync(tentative, Cancel);
        Assert.True(imported.Succeeded, Describe(imported));
        var exported = (await fixture.Exporter().ExportAsync(imported.Summary!.ProgrammeId, Cancel))!;
        Assert.Equal("tentative", exported.Engagements!.Single(e => e!.ExternalId == doc.Engagements![4]!.ExternalId)!.Status);
    }

    [Fact]
    public async Task Every_problem_is_listed_at_once()
    {
        var doc = new ProgrammeDocument("commission-planner/programme@2", null,
            new ProgrammeData(null, "", "2025-11-13", "2025-11-10", "Mars/Olympus", ["Not A Slug"]),
            [new VenueData("v", "V", null, "1 Road", "City", "XX", "UTC", 10, 200, -1, false), null],
            [new DelegationData("d", "D", "GB", [new MemberData("m", "M", null, "O", "T", "not-an-email", "emperor")])],
            [
                new EngagementData("e", "travel", "Leg", null, "v", "v", null, null, "2025-11-11T10:00", "2025-11-11T09:00", null, null, null,
                    null, null, "teleport", null, "maybe", [new AttendeeData("nobody", "boss", "perhaps"), new AttendeeData("m", "chair", null)]),
                new EngagementData("e", "party", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
            ]);
        var outcome = await fixture.Importer().ImportAsync(doc, Cancel);
        Assert.False(outcome.Succeeded);
        var keys = outcome.Errors!.ToDictionary().Keys.ToHashSet();
        string[] expected =
        [
            "format", "programme.externalId", "programme.name", "programme.endDate", "programme.timeZone", "programme.areas[0]",
            "venues[0].country", "venues[0].longitude", "venues[0].capacity", "venues[1]",
            "delegations[0].members[0].email", "delegations[0].members[0].role",
            "engagements[0].to", "engagements[0].mode", "engagements[0].status",
            "engagements[0].attendees[0].person", "engagements[0].attendees[0].role", "engagements[0].attendees[0].response",
            "engagements[1].externalId", "engagements[1].kind", "engagements[1].title",
        ];
        Assert.All(expected, key => Assert.True(keys.Contains(key), $"'{key}' missing from: {string.Join(", ", keys)}"));
    }

    [Fact]
    public async Task The_example_in_the_format_documentation_imports()
    {
        var markdown = await File.ReadAllTextAsync(System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(ImportSample.Path)!, "..", "docs", "import-format.md"), Cancel);
        var start = markdown.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var json = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
        var doc = JsonSerializer.Deserialize<ProgrammeDocument>(json, JsonSerializerOptions.Web)!;

        var outcome = await fixture.Importer().ImportAsync(doc, Cancel);
        Assert.True(outcome.Succeeded, Describe(outcome));
        Assert.Equal(new ImportCounts(1, 0, 0), outcome.Summary!.Counts.Attendees);
    }

    [Fact]
    public async Task New_attendees_are_written_many_to_a_statement_so_each_list_is_touched_once()
    {
        // The attendees' statement trigger raises an engagement's list_revision once per INSERT statement that adds to its
        // list. Written one INSERT a row (EF Core), the sample's engagements ended with several touches each (6); written
        // from arrays (AttendeeInserts), each new engagement is touched once: 0 on creation, 1 after its attendees.
        var imported = await fixture.Importer().ImportAsync(ImportSample.Load(ImportSample.NewPrefix()), Cancel);
        Assert.True(imported.Succeeded, Describe(imported));
        await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("""
            SELECT e.list_revision, count(a.person_id)
            FROM engagements e LEFT JOIN attendees a ON a.engagement_id = e.id
            WHERE e.programme_id = @p GROUP BY e.id, e.list_revision
            """, connection);
        command.Parameters.AddWithValue("p", imported.Summary!.ProgrammeId);
        var lists = new List<(long Revision, long Attendees)>();
        await using (var reader = await command.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                lists.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        Assert.Equal(14, lists.Count);
        Assert.Equal(119, lists.Sum(l => l.Attendees));
        Assert.Contains(lists, l => l.Attendees > 1);
        Assert.All(lists, l => Assert.Equal(l.Attendees > 0 ? 1 : 0, l.Revision));
    }

    private static string Describe(ImportOutcome outcome) =>
        outcome.Errors is { } errors ? JsonSerializer.Serialize(errors.ToDictionary()) : outcome.Conflict ?? "ok";
}
