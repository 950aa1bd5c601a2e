using CommissionPlanner.Data.Import;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Import;

/// <summary>Members' languages in the import document: imported, exported, left alone when absent, validated like the API's.</summary>
public sealed class LanguagesImportTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Positions in samples/jcm-2025.json: the UK minister, the UK interpreter and China's vice-minister.
    private const int Uk = 0;
    private const int China = 1;
    private const int Minister = 0;
    private const int UkInterpreter = 11;
    private const int ViceMinister = 0;

    [Fact]
    public async Task The_samples_languages_import_cover_every_engagement_and_a_document_without_them_changes_nothing()
    {
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var imported = await fixture.Importer().ImportAsync(doc, Cancel);
        Assert.True(imported.Succeeded);
        var id = imported.Summary!.ProgrammeId;
        using var api = new PlanningClient(fixture.App.AdminClient());

        // The sample's interpreters are where they are needed: nothing warns.
        Assert.DoesNotContain((await api.GetConflicts(id.ToString())).Items(), c => c.Str("kind") == "interpreter");

        var exported = (await fixture.Exporter().ExportAsync(id, Cancel))!;
        Assert.Equal(["zh"], exported.Delegations![China]!.Members![ViceMinister]!.Languages);
        Assert.Equal(["en-zh"], exported.Delegations![Uk]!.Members![UkInterpreter]!.Interprets);
        Assert.Equal(doc.Delegations![Uk]!.Members, exported.Delegations![Uk]!.Members);

        // A document written before languages existed leaves them as they are.
        var older = doc.WithMember(Uk, Minister, m => m with { Languages = null, Interprets = null });
        var again = await fixture.Importer().ImportAsync(older, Cancel);
        Assert.True(again.Succeeded);
        Assert.True(again.Summary!.NothingChanged);

        // Without the interpreter's pair, the bilateral's two sides cannot follow each other.
        var without = doc.WithMember(Uk, UkInterpreter, m => m with { Interprets = [] })
            .WithMember(China, 4, m => m with { Interprets = [] });
        var changed = await fixture.Importer().ImportAsync(without, Cancel);
        Assert.True(changed.Succeeded);
        Assert.Contains((await api.GetConflicts(id.ToString())).Items(), c => c.Str("kind") == "interpreter");
    }

    [Fact]
    public async Task Bad_languages_are_refused_with_their_paths_and_nothing_is_written()
    {
        var doc = ImportSample.Load(ImportSample.NewPrefix())
            .WithMember(Uk, Minister, m => m with { Languages = ["English"] })
            .WithMember(China, ViceMinister, m => m with { Interprets = ["zh"] });
        var rowsBefore = await ImportSample.RowCounts(fixture.App.ConnectionString, Cancel);

        var outcome = await fixture.Importer().ImportAsync(doc, Cancel);

        Assert.False(outcome.Succeeded);
        var keys = outcome.Errors!.ToDictionary().Keys;
        Assert.Contains("delegations[0].members[0].languages[0]", keys);
        Assert.Contains("delegations[1].members[0].interprets[0]", keys);
        Assert.Equal(rowsBefore, await ImportSample.RowCounts(fixture.App.ConnectionString, Cancel));
    }
}
