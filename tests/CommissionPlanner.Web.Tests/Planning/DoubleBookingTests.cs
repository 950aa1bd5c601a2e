using System.Globalization;
using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// Two hosts (silo + API each) on one database with one cluster id: two silos of one Orleans cluster,
/// as on two machines.
/// </summary>
public sealed class TwoHostFixture : IAsyncLifetime
{
    private PlannerApp? _first;
    private PlannerApp? _second;

    public PlannerApp First => _first ?? throw new InvalidOperationException("The first host did not start.");

    public PlannerApp Second => _second ?? throw new InvalidOperationException("The second host did not start.");

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestDatabase.CreateAsync("twohosts");
        _first = new PlannerApp(connectionString, ClusterId);
        await WaitUntilReady(_first);
        _second = new PlannerApp(connectionString, ClusterId);
        await WaitUntilReady(_second);
    }

    /// <summary>How many silos of this cluster the membership table lists as active (Orleans' SiloStatus.Active is 3).</summary>
    public async Task<long> ActiveSilos()
    {
        await using var connection = new Npgsql.NpgsqlConnection(First.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @cluster AND status = 3", connection);
        command.Parameters.AddWithValue("cluster", ClusterId);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        if (_first is not null)
        {
            await _first.DisposeAsync();
        }
    }

    public static async Task WaitUntilReady(PlannerApp app)
    {
        using var client = app.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The host did not become ready: {(int)ready.StatusCode}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}

public sealed class DoubleBookingTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private const int Attempts = 12;

    [Fact]
    public async Task Twelve_parallel_adds_of_one_person_to_overlapping_engagements_book_exactly_one()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var (programmeId, personId, engagementIds) = await OverlappingEngagements(api);

        var results = await Task.WhenAll(engagementIds.Select(id => api.TryAddAttendee(id, personId)));

        AssertExactlyOneBooked(results);
        Assert.Single((await api.GetItinerary(personId)).Required("entries").Items());
        Assert.Empty((await api.GetConflicts(programmeId)).Items());
    }

    internal static async Task<(string ProgrammeId, string PersonId, string[] EngagementIds)> OverlappingEngagements(PlanningClient api)
    {
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Jonathan Whitcombe");
        var ids = new string[Attempts];
        for (var i = 0; i < Attempts; i++)
        {
            // 10:00, 10:05, … 10:55, all ending at 12:00: every pair overlaps.
            var start = string.Create(CultureInfo.InvariantCulture, $"2025-11-11T10:{i * 5:00}");
            ids[i] = (await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, start, "2025-11-11T12:00",
                string.Create(CultureInfo.InvariantCulture, $"Bilateral {i + 1}"))).Id();
        }

        return (jcm.ProgrammeId, person, ids);
    }

    internal static void AssertExactlyOneBooked(ApiResult[] results)
    {
        var summary = string.Join(Environment.NewLine, results.Select(r => r.Describe()));
        Assert.True(results.Count(r => r.Status == HttpStatusCode.Created) == 1, $"Not exactly one 201:{Environment.NewLine}{summary}");
        Assert.True(results.Count(r => r.Status == HttpStatusCode.Conflict) == results.Length - 1, $"Not all others 409:{Environment.NewLine}{summary}");
        Assert.All(results.Where(r => r.Status == HttpStatusCode.Conflict), r => Assert.Equal("application/problem+json", r.MediaType));
    }
}

public sealed class TwoHostDoubleBookingTests(TwoHostFixture hosts) : IClassFixture<TwoHostFixture>
{
    [Fact]
    public async Task Parallel_adds_of_one_person_through_two_hosts_book_exactly_one()
    {
        using var first = new PlanningClient(hosts.First.AdminClient());
        using var second = new PlanningClient(hosts.Second.AdminClient());
        Assert.Equal(2, await hosts.ActiveSilos());
        var (programmeId, personId, engagementIds) = await DoubleBookingTests.OverlappingEngagements(first);

        // Both hosts see the same data.
        Assert.Equal(programmeId, (await second.GetJson($"/api/programmes/{programmeId}")).Id());

        var results = await Task.WhenAll(engagementIds.Select((id, i) => (i % 2 == 0 ? first : second).TryAddAttendee(id, personId)));

        DoubleBookingTests.AssertExactlyOneBooked(results);
        Assert.Single((await first.GetItinerary(personId)).Required("entries").Items());
        Assert.Single((await second.GetItinerary(personId)).Required("entries").Items());
    }

    [Fact]
    public async Task A_change_made_through_one_host_is_seen_through_the_other()
    {
        using var first = new PlanningClient(hosts.First.AdminClient());
        using var second = new PlanningClient(hosts.Second.AdminClient());
        var jcm = await Jcm.SetUp(first);
        var person = await jcm.NewDelegate(first);
        var plenary = await first.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var bilateral = await second.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T11:00", "2025-11-11T12:00", "Bilateral");

        await second.AddAttendee(plenary.Id(), person);
        PlanningAssert.ConflictsName(await first.TryAddAttendee(bilateral.Id(), person), plenary.Id());

        var renamed = await second.PatchEngagement(plenary.Id(), new { title = "11th Joint Commission plenary" });
        Assert.Equal("11th Joint Commission plenary", (await first.GetEngagement(plenary.Id())).Str("title"));
        PlanningAssert.Problem(await first.TryPatchEngagement(plenary.Id(), new { title = "Stale" }, plenary.VersionText()), HttpStatusCode.Conflict);
        Assert.NotEqual(plenary.VersionText(), renamed.VersionText());
    }
}
