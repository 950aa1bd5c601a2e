using System.Text.Json;
using CommissionPlanner.Data.Import;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Import;

/// <summary>Vehicles, room blocks, stays and transfers in the import document: the API's rules, all or nothing, idempotent.</summary>
public sealed class LogisticsImportTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Positions in samples/jcm-2025.json.
    private const int PekPickup = 10;
    private const int CanPickup = 12;
    private const int CcusDropOff = 13;
    private const int BeijingBlockOfTenth = 1;

    [Fact]
    public async Task The_samples_hotels_and_transfers_round_trip_and_show_in_the_api()
    {
        var prefix = ImportSample.NewPrefix();
        var doc = ImportSample.Load(prefix);
        var imported = await fixture.Importer().ImportAsync(doc, Cancel);
        Assert.True(imported.Succeeded, Describe(imported));
        var id = imported.Summary!.ProgrammeId;

        var exported = (await fixture.Exporter().ExportAsync(id, Cancel))!;
        Assert.Equal(doc.Vehicles, exported.Vehicles);
        Assert.Equal(doc.RoomBlocks!.OrderBy(b => b!.Hotel).ThenBy(b => b!.FirstNight), exported.RoomBlocks!.OrderBy(b => b!.Hotel).ThenBy(b => b!.FirstNight));
        Assert.Equal(doc.Stays!.OrderBy(s => s!.ExternalId, StringComparer.Ordinal), exported.Stays!.OrderBy(s => s!.ExternalId, StringComparer.Ordinal));
        Assert.Equal(doc.Engagements![PekPickup]!.Vehicle, exported.Engagements!.Single(e => e!.ExternalId == doc.Engagements[PekPickup]!.ExternalId)!.Vehicle);

        using var api = new PlanningClient(fixture.App.AdminClient());
        var nights = (await api.GetJson($"/api/programmes/{id}/room-blocks")).Items();
        Assert.Contains(nights, n => n.Str("night") == "2025-11-10" && n.Prop("rooms").GetInt32() == 12 && n.Prop("allocated").GetInt32() == 12);
        Assert.Contains(nights, n => n.Str("night") == "2025-11-12" && n.Str("hotel") == "The Garden Hotel Guangzhou" && n.Prop("allocated").GetInt32() == 6);
        // The sample's transfers meet their flights: no conflicts.
        Assert.Empty((await api.GetConflicts(id.ToString())).Items());

        // A hotel the import renames reaches its guests' itineraries at once.
        var minister = (await api.GetJson($"/api/programmes/{id}/stays")).Items()
            .Single(x => x.Str("externalId") == prefix + "jcm-2025-stay-bj-uk-minister").Str("personId");
        Assert.Contains("Wenjin Hotel", (await api.GetItinerary(minister)).Prop("stays").Items().Select(x => x.Prop("hotel").Str("name")));
        var wenjin = doc.Venues!.ToList().FindIndex(v => v!.ExternalId == prefix + "wenjin-hotel");
        // Through the API, whose importer tells the itineraries what it committed.
        (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(doc.WithVenue(wenjin, v => v with { Name = "Wenjin Hotel Beijing" })))).Ok();
        Assert.Contains("Wenjin Hotel Beijing", (await api.GetItinerary(minister)).Prop("stays").Items().Select(x => x.Prop("hotel").Str("name")));
    }

    [Fact]
    public async Task A_full_block_an_over_seated_vehicle_and_a_double_booked_vehicle_are_refused_and_nothing_is_written()
    {
        var prefix = ImportSample.NewPrefix();
        var doc = ImportSample.Load(prefix);
        var rowsBefore = await ImportSample.RowCounts(fixture.App.ConnectionString, Cancel);

        var bad = doc with
        {
            RoomBlocks = [.. doc.RoomBlocks!.Select((b, i) => i == BeijingBlockOfTenth ? b! with { Rooms = 11 } : b)],
            Vehicles = [doc.Vehicles![0], doc.Vehicles[1]! with { Seats = 5 }],
        };
        // The Guangzhou minibus also takes the drop-off at the CCUS Centre at the time of the airport pickup.
        bad = bad.WithEngagement(CcusDropOff, e => e with { Departure = "2025-11-12T12:00", Arrival = "2025-11-12T13:00" });
        var outcome = await fixture.Importer().ImportAsync(bad, Cancel);
        Assert.False(outcome.Succeeded);
        var errors = outcome.Errors!.ToDictionary();
        Assert.Contains(errors, e => e.Key == "roomBlocks[1].rooms" && e.Value[0].Contains("12 rooms", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key.StartsWith("stays[", StringComparison.Ordinal) && e.Value[0].Contains("block is full", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == $"engagements[{CanPickup}].attendees" && e.Value[0].Contains("6 passengers but its vehicle has 5 seats", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == $"engagements[{CcusDropOff}].vehicle" && e.Value[0].Contains("two transfers at once", StringComparison.Ordinal));
        Assert.Equal(rowsBefore, await ImportSample.RowCounts(fixture.App.ConnectionString, Cancel));

        var unknown = doc.WithEngagement(PekPickup, e => e with { Vehicle = prefix + "no-such-van" });
        var refused = await fixture.Importer().ImportAsync(unknown, Cancel);
        Assert.Equal("'vehicle' does not name a vehicle in this document's 'vehicles'.", Assert.Single(refused.Errors!.ToDictionary()[$"engagements[{PekPickup}].vehicle"]));
    }

    [Fact]
    public async Task A_changed_stay_is_updated_once_and_a_hotel_newly_marked_sensitive_puts_its_stays_up_for_review()
    {
        var prefix = ImportSample.NewPrefix();
        var doc = ImportSample.Load(prefix);
        var id = (await fixture.Importer().ImportAsync(doc, Cancel)).Summary!.ProgrammeId;
        using var api = new PlanningClient(fixture.App.AdminClient());
        var before = (await api.GetJson($"/api/programmes/{id}/stays")).Items();
        Assert.All(before, s => Assert.Equal("not-required", s.Prop("review").Str("status")));

        // The minister leaves Beijing a night later; the Guangzhou hotel is marked sensitive.
        var changed = doc with { Stays = [.. doc.Stays!.Select((s, i) => i == 0 ? s! with { CheckOut = "2025-11-13" } : s)] };
        var outcome = await fixture.Importer().ImportAsync(changed, Cancel);
        Assert.False(outcome.Succeeded);
        Assert.Contains("already has a stay", outcome.Errors!.ToDictionary()["stays[0]"][0], StringComparison.Ordinal);

        var guangzhou = doc.Venues!.ToList().FindIndex(v => v!.ExternalId == prefix + "garden-hotel-guangzhou");
        var later = doc with { Stays = [.. doc.Stays!.Select((s, i) => i == 0 ? s! with { Confirmation = "WJ-2025-101-A" } : s)] };
        later = later.WithVenue(guangzhou, v => v with { Sensitive = true });
        var applied = await fixture.Importer().ImportAsync(later, Cancel);
        Assert.True(applied.Succeeded, Describe(applied));
        Assert.Equal(new ImportCounts(0, 7, 11), applied.Summary!.Counts.Stays);

        var after = (await api.GetJson($"/api/programmes/{id}/stays")).Items();
        Assert.Equal(6, after.Count(s => s.Prop("review").Str("status") == "required"));
        var minister = after.Single(s => s.Str("externalId") == prefix + "jcm-2025-stay-bj-uk-minister");
        Assert.Equal("WJ-2025-101-A", minister.Str("confirmation"));
        Assert.Equal(0, minister.Prop("sequence").GetInt32());
        Assert.True((await fixture.Importer().ImportAsync(later, Cancel)).Summary!.NothingChanged);
    }

    [Fact]
    public async Task A_persons_two_stays_swapped_in_one_document_import_although_each_row_alone_would_overlap_the_other()
    {
        var prefix = ImportSample.NewPrefix();
        var doc = ImportSample.Load(prefix);
        var id = (await fixture.Importer().ImportAsync(doc, Cancel)).Summary!.ProgrammeId;
        var beijing = doc.Stays!.ToList().FindIndex(s => s!.ExternalId == prefix + "jcm-2025-stay-bj-uk-interpreter");
        var guangzhou = doc.Stays!.ToList().FindIndex(s => s!.ExternalId == prefix + "jcm-2025-stay-gz-uk-interpreter");
        var (bj, gz) = (doc.Stays![beijing]!, doc.Stays[guangzhou]!);

        // Each stay takes the other's hotel and nights: written row by row, the first would overlap the second.
        var swapped = doc with
        {
            Stays = [.. doc.Stays!.Select((s, i) => i == beijing
                ? s! with { Hotel = gz.Hotel, CheckIn = gz.CheckIn, CheckOut = gz.CheckOut, Confirmation = gz.Confirmation }
                : i == guangzhou ? s! with { Hotel = bj.Hotel, CheckIn = bj.CheckIn, CheckOut = bj.CheckOut, Confirmation = bj.Confirmation } : s)],
        };
        var outcome = await fixture.Importer().ImportAsync(swapped, Cancel);
        Assert.True(outcome.Succeeded, Describe(outcome));
        Assert.Equal(new ImportCounts(0, 2, 16), outcome.Summary!.Counts.Stays);
        var exported = (await fixture.Exporter().ExportAsync(id, Cancel))!;
        Assert.Equal("2025-11-12", exported.Stays!.Single(s => s!.ExternalId == bj.ExternalId)!.CheckIn);
    }

    private static string Describe(ImportOutcome outcome) =>
        outcome.Errors is { } errors ? JsonSerializer.Serialize(errors.ToDictionary()) : outcome.Conflict ?? "ok";
}
