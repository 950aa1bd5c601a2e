using System.Net;
using CommissionPlanner.Tests.IcalValidation;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>
/// Rows stored before the API checked addresses, texts and years (written here straight into PostgreSQL, as an old
/// database holds them): every feed and download that holds them still answers 200 with a calendar that ical.js and
/// python-icalendar read. Issue 15: one such row used to make every feed holding it answer 500.
/// </summary>
public sealed class FeedStoredOddRowTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    private FeedClient Feeds => new(fixture.App);

    private async Task Sql(FeedScenario world, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        // Marks the programme changed, as every planning write does, so that no cached render is served.
        await using var command = new NpgsqlCommand(sql + "; UPDATE programmes SET change_stamp = change_stamp + 1 WHERE id = @programme;", connection);
        command.Parameters.AddWithValue("programme", Guid.Parse(world.ProgrammeId));
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(Cancel);
    }

    private async Task<List<(string Scope, byte[] Body)>> EveryCalendar(PlanningClient api, FeedScenario world)
    {
        var bodies = new List<(string, byte[])>();
        foreach (var (scope, id) in new[] { ("people", world.PersonId), ("delegations", world.Jcm.DelegationId), ("programmes", world.ProgrammeId), ("engagements", world.PlenaryId) })
        {
            var feed = await FeedClient.Create(api, scope, id);
            var response = await Feeds.Fetch(feed.Url);
            Assert.True(response.Status == HttpStatusCode.OK, $"{scope} feed: {response.Describe()}");
            bodies.Add((scope, response.Body));
        }

        var download = await api.Get($"/api/engagements/{world.PlenaryId}/ics");
        Assert.True(download.Status == HttpStatusCode.OK, download.Describe());
        bodies.Add(("download", download.Bytes.ToArray()));
        return bodies;
    }

    [Fact]
    public async Task A_stored_angle_bracketed_address_and_control_characters_do_not_break_any_feed()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        await Sql(world, "UPDATE people SET email = '<a@example.org>' WHERE id = @person; UPDATE engagements SET title = @title, description = @description WHERE id = @plenary",
            ("person", Guid.Parse(world.PersonId)), ("plenary", Guid.Parse(world.PlenaryId)),
            ("title", "Plenary\u0007 with a bell"), ("description", "Colour \u001B[31m escape"));

        foreach (var (scope, body) in await EveryCalendar(api, world))
        {
            var js = (await IcalJs.ValidateAsync(body)).Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
            var py = (await PythonIcalendar.ParseAsync(body)).Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
            Assert.Equal("Plenary  with a bell", py.Summary);
            Assert.Equal("Plenary  with a bell", js.Summary);
            // The person stays, under their id: "mailto:<a@example.org>" is no URI.
            Assert.All(py.Attendees, a => Assert.Equal("urn:uuid:" + world.PersonId, a.Value));
            Assert.True(scope == "delegations" || py.Attendees.Length == 1, scope);
        }
    }

    [Fact]
    public async Task A_stored_engagement_in_the_year_9998_does_not_break_its_download_or_any_feed()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        await Sql(world,
            "UPDATE engagements SET start_local = '9998-06-01 10:00', end_local = '9998-06-01 12:30', start_utc = '9998-06-01 02:00Z', end_utc = '9998-06-01 04:30Z' WHERE id = @plenary",
            ("plenary", Guid.Parse(world.PlenaryId)));

        foreach (var (_, body) in await EveryCalendar(api, world))
        {
            var js = (await IcalJs.ValidateAsync(body)).Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
            var py = (await PythonIcalendar.ParseAsync(body)).Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
            Assert.Equal("9998-06-01T02:00:00Z", js.StartUtc);
            Assert.Equal("9998-06-01T02:00:00Z", py.StartUtc);
        }
    }
}
