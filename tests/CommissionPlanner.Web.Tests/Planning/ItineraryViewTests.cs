using CommissionPlanner.Data;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Tests.Import;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Concurrency;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// Itineraries are served from each person's itinerary grain, which holds the bookings in memory and is told of every
/// committed change (ItineraryGrain): every kind of write must show in the next GET, through whichever path it came,
/// and booking checks must see what the grain was told.
/// </summary>
public sealed class ItineraryViewTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task A_comparison_read_before_a_booking_does_not_drop_it_and_an_older_one_is_ignored()
    {
        // In this class's host the grains compare by themselves only every 30 s, so the reads below are the only ones.
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Late Read");
        var first = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T09:00", "2025-11-11T10:00", "Held first");
        await api.AddAttendee(first.Id(), person);
        Assert.Single((await api.GetItinerary(person)).Required("entries").Items());

        // The revisions as ItineraryRevisionChecks reads them, for this person and for an id no one has.
        var personId = Guid.Parse(person);
        var stranger = Guid.NewGuid();
        var factory = fixture.App.Services.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
        Dictionary<Guid, ItineraryRevisions> read;
        await using (var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            read = await ItineraryRows.RevisionsAsync(db, [personId, stranger], SystemClock.Instance.GetCurrentInstant(), TestContext.Current.CancellationToken);
        }

        Assert.Equal([Guid.Parse(first.Id())], read[personId].Bookings.Keys);
        Assert.NotNull(read[personId].PersonRevision);
        Assert.Null(read[stranger].PersonRevision);
        Assert.Empty(read[stranger].Bookings);

        // Booked after that read, and then the read arrives: the booking it lacks is read again, not dropped.
        var second = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T11:00", "2025-11-11T12:00", "Booked after the read");
        await api.AddAttendee(second.Id(), person);
        var grain = fixture.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IItineraryGrain>(personId);
        await grain.Compare(new Immutable<ItineraryRevisions>(read[personId]));
        // A request after the one-way comparison is answered after it (the grain takes its messages in turn).
        Assert.Equal(["Held first", "Booked after the read"], Titles(await grain.View(ItineraryViewer.Admin)));

        // An older read than the last comparison is ignored: even one with no bookings at all drops nothing.
        await grain.Compare(new Immutable<ItineraryRevisions>(read[personId] with { ReadAt = read[personId].ReadAt - Duration.FromMinutes(1), Bookings = new Dictionary<Guid, BookingRevision>() }));
        Assert.Equal(["Held first", "Booked after the read"], Titles(await grain.View(ItineraryViewer.Admin)));
    }

    [Fact]
    public async Task A_view_asked_for_between_a_bookings_commit_and_its_one_way_notice_shows_the_booking()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Quick Reader");
        var first = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T09:00", "2025-11-11T10:00", "Held first");
        await api.AddAttendee(first.Id(), person);
        var second = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T11:00", "2025-11-11T12:00", "Committed, not yet told");
        var personId = Guid.Parse(person);
        var grain = fixture.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IItineraryGrain>(personId);
        Assert.Equal(["Held first"], Titles(await grain.View(ItineraryViewer.Admin)));

        // What an engagement grain does, minus its one-way Booked: the itinerary approves (a hold), the row commits.
        var factory = fixture.App.Services.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            var engagement = await db.Engagements.SingleAsync(e => e.Id == Guid.Parse(second.Id()), TestContext.Current.CancellationToken);
            var venue = await db.Venues.SingleAsync(v => v.Id == engagement.FromVenueId, TestContext.Current.CancellationToken);
            var place = new Domain.Place(venue.Id, venue.City, venue.Country, new Domain.GeoPoint(venue.Latitude, venue.Longitude));
            var slot = Domain.BookedSlot.AtVenue(engagement.Id, engagement.Title, engagement.Kind, engagement.StartUtc, engagement.EndUtc, place);
            Assert.True((await grain.Reserve(new Immutable<Domain.BookedSlot>(slot))).Reserved);
            db.Attendees.Add(new Data.Entities.AttendeeRecord
            {
                EngagementId = engagement.Id, PersonId = personId, Role = Domain.AttendeeRole.Required, Response = Domain.Response.NeedsAction,
                InvitedAt = SystemClock.Instance.GetCurrentInstant(), Occupied = new Interval(engagement.StartUtc, engagement.EndUtc), HoldsTime = true,
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // The grain compares by itself only every 30 s here: the hold is what makes it look.
        Assert.Equal(["Held first", "Committed, not yet told"], Titles(await grain.View(ItineraryViewer.Admin)));
    }

    private static List<string> Titles(Immutable<byte[]?> view)
    {
        using var json = System.Text.Json.JsonDocument.Parse(view.Value!);
        return [.. json.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("title").GetString()!)];
    }

    [Fact]
    public async Task Every_kind_of_change_shows_in_the_next_itinerary_read()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Fresh View");
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "First title");
        await api.AddAttendee(meeting.Id(), person);
        Assert.Equal("First title", Entry(await api.GetItinerary(person)).Str("title"));
        Assert.Equal("First title", Entry(await api.GetItinerary(person)).Str("title"));

        await api.PatchEngagement(meeting.Id(), new { title = "Second title", start = "2025-11-11T10:30" });
        var moved = Entry(await api.GetItinerary(person));
        Assert.Equal("Second title", moved.Str("title"));
        Assert.Equal("2025-11-11T10:30", moved.Str("start"));

        await api.SetResponse(meeting.Id(), person, "accepted");
        Assert.Equal("accepted", Entry(await api.GetItinerary(person)).Str("response"));

        (await api.Patch($"/api/venues/{jcm.Diaoyutai}", new { name = "Diaoyutai, Building 18" })).Ok();
        Assert.Contains("Building 18", Entry(await api.GetItinerary(person)).GetRawText(), StringComparison.Ordinal);

        (await api.Patch($"/api/people/{person}", new { fullName = "Dr Renamed" })).Ok();
        Assert.Equal("Dr Renamed", (await api.GetItinerary(person)).Prop("person").Str("fullName"));

        await api.CancelEngagement(meeting.Id(), "Moved to next year.");
        Assert.Equal("cancelled", Entry(await api.GetItinerary(person)).Str("status"));
    }

    [Fact]
    public async Task A_reimport_that_changes_an_engagement_shows_in_the_next_itinerary_read()
    {
        using var api = Api();
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var programme = (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(doc))).Created(requireId: false).Str("programmeId");
        var lunch = (await api.ListEngagements(programme)).Items().Single(e => e.Str("title") == doc.Engagements![2]!.Title);
        var person = (await api.GetAttendees(lunch.Id())).Items()[0].Str("personId");
        Assert.Contains((await api.GetItinerary(person)).Required("entries").Items(), e => e.Str("title") == lunch.Str("title"));

        (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(doc.WithEngagement(2, e => e with { Title = "Working lunch (renamed)" })))).Ok();

        Assert.Contains((await api.GetItinerary(person)).Required("entries").Items(), e => e.Str("title") == "Working lunch (renamed)");
    }

    [Fact]
    public async Task Staff_and_the_delegate_each_get_their_own_view_whichever_reads_first()
    {
        using var api = Api();
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("reviewer", "reviewer")));
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Own View");
        using var delegateClient = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("own phone", "delegate", person)));
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Quantum lab",
            "site-visit", areas: ["quantum-computing"]);
        await api.AddAttendee(visit.Id(), person);
        (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "approved", note = "Internal: RCAT case 12." })).Ok();

        Assert.Equal("Internal: RCAT case 12.", Entry(await api.GetItinerary(person)).Prop("review").Str("note"));
        var own = Entry(await delegateClient.GetItinerary(person));
        Assert.Equal("approved", own.Prop("review").Str("status"));
        Assert.DoesNotContain("RCAT case 12", own.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("reviewer", own.Prop("review").GetRawText(), StringComparison.Ordinal);

        await api.PatchEngagement(visit.Id(), new { title = "Quantum lab (moved)" });
        Assert.DoesNotContain("RCAT case 12", Entry(await delegateClient.GetItinerary(person)).GetRawText(), StringComparison.Ordinal);
        Assert.Equal("Internal: RCAT case 12.", Entry(await api.GetItinerary(person)).Prop("review").Str("note"));
    }

    [Fact]
    public async Task A_reply_that_frees_a_place_shows_in_the_itinerary_of_the_person_promoted()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var first = await jcm.NewDelegate(api, "Dr First Place");
        var second = await jcm.NewDelegate(api, "Dr Waiting");
        var dinner = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T19:00", "2025-11-11T21:00", "Dinner", "reception", capacity: 1);
        await api.AddAttendee(dinner.Id(), first);
        await api.AddAttendee(dinner.Id(), second);
        await api.SetResponse(dinner.Id(), first, "accepted");
        await api.SetResponse(dinner.Id(), second, "accepted");
        var waiting = Entry(await api.GetItinerary(second));
        Assert.Equal("waiting", waiting.Str("attendance"));
        Assert.Equal(1, waiting.GetProperty("waitingPosition").GetInt32());

        // Only the first person replied; the second's itinerary must still move, as their place on the list did.
        await api.SetResponse(dinner.Id(), first, "declined");
        Assert.Equal("attending", Entry(await api.GetItinerary(second)).Str("attendance"));
    }

    [Fact]
    public async Task A_booking_check_sees_what_an_import_moved_in_an_itinerary_already_held()
    {
        using var api = Api();
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var programme = (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(doc))).Created(requireId: false).Str("programmeId");
        var lunch = (await api.ListEngagements(programme)).Items().Single(e => e.Str("title") == doc.Engagements![2]!.Title);
        var person = (await api.GetAttendees(lunch.Id())).Items()[0].Str("personId");
        var venue = lunch.Prop("venue").Id();
        await api.GetItinerary(person); // the itinerary grain now holds the person's bookings
        var evening = await api.CreateMeeting(programme, venue, "2025-11-10T13:30", "2025-11-10T14:30", "Afternoon meeting", timeZone: "Asia/Shanghai");

        // The import moves the lunch onto the afternoon meeting's time; the grain is told, so the add is refused by the
        // booking check (a 409 naming the clash), not only by the database's constraint.
        var moved = doc.WithEngagement(2, e => e with { Start = "2025-11-10T13:00", End = "2025-11-10T14:00" });
        (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(moved))).Ok();
        PlanningAssert.ConflictsName(await api.TryAddAttendee(evening.Id(), person), lunch.Id());
    }

    private static System.Text.Json.JsonElement Entry(System.Text.Json.JsonElement itinerary) =>
        Assert.Single(itinerary.Required("entries").Items());
}

/// <summary>A host whose itinerary grains compare revisions with the database after one second, not thirty.</summary>
public sealed class QuickValidationFixture : IAsyncLifetime
{
    public PlannerApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = new PlannerApp(await TestDatabase.CreateAsync("itinerary"), $"test-{Guid.NewGuid():N}")
        {
            Settings = new Dictionary<string, string> { ["Planner:Itineraries:ValidateAfterSeconds"] = "1" },
        };
        using var client = App.CreateClient();
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>What an itinerary grain does when a writer's one-way call never reached it (its silo died after the commit).</summary>
public sealed class ItineraryRevisionTests(QuickValidationFixture fixture) : IClassFixture<QuickValidationFixture>
{
    [Fact]
    public async Task A_change_the_grain_was_never_told_of_shows_once_it_compares_revisions()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Lost Message");
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Before");
        await api.AddAttendee(meeting.Id(), person);
        Assert.Equal("Before", Entry(await api.GetItinerary(person)).Str("title"));

        // A write no grain knows of: straight into PostgreSQL, as a repair by hand would be. The triggers raise revisions.
        await using (var db = new Npgsql.NpgsqlConnection(fixture.App.ConnectionString))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var update = new Npgsql.NpgsqlCommand("UPDATE engagements SET title = 'After' WHERE id = @id", db);
            update.Parameters.AddWithValue("id", Guid.Parse(meeting.Id()));
            Assert.Equal(1, await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        // Served from memory, so at first the old title; within the validation interval, the new one.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string title;
        do
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
            title = Entry(await api.GetItinerary(person)).Str("title");
        }
        while (title != "After" && DateTime.UtcNow < deadline);
        Assert.Equal("After", title);
    }

    [Fact]
    public async Task Revisions_rise_with_the_engagement_and_its_venue_and_the_list_revision_once_per_statement()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T10:00", "2025-11-11T11:00", "Counted");
        var id = Guid.Parse(meeting.Id());
        await using var db = new Npgsql.NpgsqlConnection(fixture.App.ConnectionString);
        await db.OpenAsync(TestContext.Current.CancellationToken);
        async Task<(long Revision, long List)> Revisions()
        {
            await using var read = new Npgsql.NpgsqlCommand("SELECT revision, list_revision FROM engagements WHERE id = @id", db);
            read.Parameters.AddWithValue("id", id);
            await using var row = await read.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.True(await row.ReadAsync(TestContext.Current.CancellationToken));
            return (row.GetInt64(0), row.GetInt64(1));
        }

        var start = await Revisions();
        await api.AddAttendee(meeting.Id(), await jcm.NewDelegate(api, "Dr One"));
        Assert.Equal((start.Revision, start.List + 1), await Revisions());
        await api.PatchEngagement(meeting.Id(), new { title = "Counted again" });
        var afterEdit = await Revisions();
        Assert.True(afterEdit.Revision > start.Revision, "an edit of the engagement raises its revision");
        (await api.Patch($"/api/venues/{jcm.Tsinghua}", new { name = "Tsinghua University, Institute for Carbon Neutrality (East)" })).Ok();
        Assert.True((await Revisions()).Revision > afterEdit.Revision, "an edit of its venue raises the engagement's revision");

        // Two attendees in one statement (as an import writes them): one rise of the list revision, not two.
        var beforeBatch = await Revisions();
        var two = new[] { await jcm.NewDelegate(api, "Dr Two"), await jcm.NewDelegate(api, "Dr Three") };
        await using (var insert = new Npgsql.NpgsqlCommand("""
            INSERT INTO attendees (engagement_id, person_id, role, response, acceptance_order, invited_at, occupied, holds_time)
            SELECT e.id, p, 'required', 'needs-action', 0, now(), tstzrange(e.start_utc, e.end_utc, '[)'), true
            FROM engagements e, unnest(@people) AS p WHERE e.id = @id
            """, db))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("people", two.Select(Guid.Parse).ToArray());
            Assert.Equal(2, await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal((beforeBatch.Revision, beforeBatch.List + 1), await Revisions());
    }

    private static System.Text.Json.JsonElement Entry(System.Text.Json.JsonElement itinerary) =>
        Assert.Single(itinerary.Required("entries").Items());
}
