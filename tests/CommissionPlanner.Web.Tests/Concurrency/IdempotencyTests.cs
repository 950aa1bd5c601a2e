using System.Net;
using System.Net.Http.Json;
using CommissionPlanner.Data;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Concurrency;

/// <summary>
/// Idempotent retries (api-contract "Idempotent retries", docs/idempotency.md): a POST sent again with the same
/// Idempotency-Key gets the first answer and changes nothing, and PostgreSQL decides whether a request whose server was
/// lost had applied its change. The lost server is staged in the database (a claim held by a silo that is not in the
/// cluster); FaultTests kills real silos.
/// </summary>
public sealed class IdempotencyTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    /// <summary>A silo address no silo of the cluster has: the holder of a claim staged as "server gone".</summary>
    private const string GoneSilo = "127.0.0.9:1@1";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    private static Task<ApiResult> Keyed(PlanningClient api, string path, object body, string key) =>
        api.Send(HttpMethod.Post, path, JsonContent.Create(body), r => r.Headers.TryAddWithoutValidation("Idempotency-Key", key));

    private static string NewKey() => $"test-{Guid.NewGuid():N}";

    private static object Member(string fullName) => new
    {
        fullName, role = "member", organisation = "The Royal Society", title = "Fellow", email = PlanningClient.UniqueEmail(fullName),
    };

    [Fact]
    public async Task An_add_sent_again_with_its_key_answers_the_first_answer_and_adds_no_one()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var key = NewKey();
        var path = $"/api/engagements/{plenary.Id()}/attendees";
        var body = new { personId = person, role = "required" };

        var first = await Keyed(api, path, body, key);
        var again = await Keyed(api, path, body, key);

        first.Created(requireId: false);
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.Location, again.Location);
        Assert.Equal("true", again.Headers.GetValueOrDefault("Idempotent-Replayed"));
        Assert.False(first.Headers.ContainsKey("Idempotent-Replayed"), first.Describe());
        Assert.Single((await api.GetAttendees(plenary.Id())).Items());
        Assert.Equal(1, await AuditCount(plenary.Id(), "attendee-added"));
    }

    [Fact]
    public async Task A_create_sent_three_times_with_one_key_makes_one_engagement()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var key = NewKey();
        var body = PlanningClient.MeetingBody(jcm.Diaoyutai, "2025-11-11T14:00", "2025-11-11T15:00", "Press event");

        var answers = new List<ApiResult>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await Keyed(api, $"/api/programmes/{jcm.ProgrammeId}/engagements", body, key));
        }

        var id = answers[0].Created().Id();
        Assert.All(answers, a => Assert.Equal(id, a.Created().Id()));
        Assert.Single((await api.ListEngagements(jcm.ProgrammeId)).Items());
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_apply_once()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        const int rounds = 6;
        for (var round = 0; round < rounds; round++)
        {
            var key = NewKey();
            var start = new DateTime(2025, 11, 12, 8, 0, 0).AddHours(round);
            var body = PlanningClient.MeetingBody(jcm.Tsinghua, $"{start:yyyy-MM-dd'T'HH:mm}", $"{start.AddMinutes(45):yyyy-MM-dd'T'HH:mm}",
                $"Visit {round + 1} to the Institute for Carbon Neutrality", "site-visit");

            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                Keyed(api, $"/api/programmes/{jcm.ProgrammeId}/engagements", body, key)));

            // Each answer is the first one, or "still being handled" (409 with Retry-After) while it was.
            var created = answers.Where(a => a.Status == HttpStatusCode.Created).ToList();
            Assert.NotEmpty(created);
            Assert.Single(created.Select(a => a.Created().Id()).Distinct());
            Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a =>
            {
                PlanningAssert.Problem(a, HttpStatusCode.Conflict);
                Assert.Equal("1", a.Headers.GetValueOrDefault("Retry-After"));
            });
        }

        Assert.Equal(rounds, (await api.ListEngagements(jcm.ProgrammeId)).Items().Count);
    }

    [Fact]
    public async Task The_same_key_with_another_body_or_path_is_422_and_changes_nothing()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var key = NewKey();
        var path = $"/api/programmes/{jcm.ProgrammeId}/engagements";
        (await Keyed(api, path, PlanningClient.MeetingBody(jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Plenary"), key)).Created();

        var otherBody = await Keyed(api, path, PlanningClient.MeetingBody(jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Another plenary"), key);
        var otherPath = await Keyed(api, $"/api/delegations/{jcm.DelegationId}/members", Member("Dr Anna Hart"), key);

        PlanningAssert.Problem(otherBody, HttpStatusCode.UnprocessableEntity);
        PlanningAssert.Problem(otherPath, HttpStatusCode.UnprocessableEntity);
        Assert.Single((await api.ListEngagements(jcm.ProgrammeId)).Items());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\there")]
    public async Task A_key_that_is_not_1_to_200_visible_ascii_characters_is_400(string key)
    {
        using var api = Api();
        var result = await Keyed(api, "/api/programmes", new { name = "Unused" }, key);
        PlanningAssert.Problem(result, HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task A_key_of_201_characters_is_400_and_200_are_accepted()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var body = Member("Dr Anna Hart");
        PlanningAssert.Problem(await Keyed(api, $"/api/delegations/{jcm.DelegationId}/members", body, new string('k', 201)), HttpStatusCode.BadRequest, "Idempotency-Key");
        (await Keyed(api, $"/api/delegations/{jcm.DelegationId}/members", body, $"{Guid.NewGuid():N}".PadRight(200, 'k'))).Created();
    }

    [Fact]
    public async Task A_refusal_for_bad_input_is_answered_again_but_a_conflict_may_be_retried_with_the_key()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var bilateral = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T12:00", "2025-11-11T13:00", "Bilateral with MOST");
        await api.AddAttendee(plenary.Id(), person);

        // Bad input: the same request would be refused the same way, so the refusal is kept.
        var badKey = NewKey();
        var bad = await Keyed(api, $"/api/engagements/{bilateral.Id()}/attendees", new { personId = person, role = "emperor" }, badKey);
        var badAgain = await Keyed(api, $"/api/engagements/{bilateral.Id()}/attendees", new { personId = person, role = "emperor" }, badKey);
        PlanningAssert.Problem(bad, HttpStatusCode.BadRequest, "role");
        Assert.Equal(bad.Text, badAgain.Text);
        Assert.Equal("true", badAgain.Headers.GetValueOrDefault("Idempotent-Replayed"));

        // A clash depends on the moment: once the plenary no longer holds the time, the same request with the same key succeeds.
        var key = NewKey();
        var clash = await Keyed(api, $"/api/engagements/{bilateral.Id()}/attendees", new { personId = person }, key);
        PlanningAssert.ConflictsName(clash, plenary.Id());
        (await api.Send(HttpMethod.Delete, $"/api/engagements/{plenary.Id()}/attendees/{person}")).Expect(HttpStatusCode.NoContent);
        var retried = await Keyed(api, $"/api/engagements/{bilateral.Id()}/attendees", new { personId = person }, key);
        retried.Created(requireId: false);
        Assert.Single((await api.GetAttendees(bilateral.Id())).Items());
    }

    [Fact]
    public async Task Two_callers_may_use_the_same_key_for_their_own_requests()
    {
        using var admin = Api();
        var jcm = await Jcm.SetUp(admin);
        using var organiser = new PlanningClient(fixture.App.ClientWithKey(await admin.CreateKey("Organiser of the JCM", "organiser")));
        var key = NewKey();

        var mine = await Keyed(admin, $"/api/delegations/{jcm.DelegationId}/members", Member("Dr Anna Hart"), key);
        var theirs = await Keyed(organiser, $"/api/delegations/{jcm.DelegationId}/members", Member("Dr Anna Hart"), key);

        Assert.NotEqual(mine.Created().Id(), theirs.Created().Id());
    }

    [Fact]
    public async Task A_change_applied_whose_answer_was_lost_is_answered_from_what_was_applied_without_applying_it_again()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var createKey = NewKey();
        var addKey = NewKey();
        var createBody = PlanningClient.MeetingBody(jcm.Tsinghua, "2025-11-12T09:00", "2025-11-12T10:00", "Visit", "site-visit");
        var created = (await Keyed(api, $"/api/programmes/{jcm.ProgrammeId}/engagements", createBody, createKey)).Created();
        var added = await Keyed(api, $"/api/engagements/{plenary.Id()}/attendees", new { personId = person }, addKey);
        added.Created(requireId: false);

        // As if each server had died after its change committed, before it kept the answer.
        await LoseAnswer(createKey);
        await LoseAnswer(addKey);

        var createAgain = await Keyed(api, $"/api/programmes/{jcm.ProgrammeId}/engagements", createBody, createKey);
        var addAgain = await Keyed(api, $"/api/engagements/{plenary.Id()}/attendees", new { personId = person }, addKey);

        Assert.Equal(created.Id(), createAgain.Created().Id());
        Assert.Equal(created.GetRawText(), createAgain.Json.GetRawText());
        Assert.Equal(added.Location, addAgain.Location);
        Assert.Equal(added.Text, addAgain.Text);
        Assert.Equal(2, (await api.ListEngagements(jcm.ProgrammeId)).Items().Count);
        Assert.Single((await api.GetAttendees(plenary.Id())).Items());
        Assert.Equal(1, await AuditCount(plenary.Id(), "attendee-added"));

        // The rebuilt answer is kept: the next repeat is a plain replay.
        var third = await Keyed(api, $"/api/engagements/{plenary.Id()}/attendees", new { personId = person }, addKey);
        Assert.Equal("true", third.Headers.GetValueOrDefault("Idempotent-Replayed"));
        Assert.Equal(added.Text, third.Text);
    }

    [Fact]
    public async Task A_request_whose_server_died_before_applying_is_taken_over_and_applied_once()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var key = NewKey();
        var path = $"/api/engagements/{plenary.Id()}/attendees";
        var body = new { personId = person };

        // The first attempt claimed the key on a silo that died before its change.
        var staged = await StageUnappliedClaim(key, path, body);

        var retried = await Keyed(api, path, body, key);

        retried.Created(requireId: false);
        Assert.Single((await api.GetAttendees(plenary.Id())).Items());
        // The first attempt's claim is gone: should its transaction still have tried to commit, the trigger refuses it.
        Assert.Null(await RequestClaims.ReadAsync(await DataSource(), staged, Cancel));
    }

    [Fact]
    public async Task A_change_under_a_claim_that_was_taken_over_fails_in_the_database()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var dataSource = await DataSource();
        var oldClaim = Guid.CreateVersion7();
        var newClaim = Guid.CreateVersion7();
        Assert.Null(await RequestClaims.ClaimAsync(dataSource, "test:takeover", NewKey(), new byte[32], oldClaim, GoneSilo, NodaTime.Duration.FromHours(24), Cancel));
        Assert.True(await RequestClaims.TakeOverAsync(dataSource, oldClaim, newClaim, GoneSilo, Cancel));

        var stale = await Assert.ThrowsAsync<PostgresException>(() => InsertAudit(dataSource, jcm.ProgrammeId, oldClaim));
        await InsertAudit(dataSource, jcm.ProgrammeId, newClaim);
        // And one transaction applies a claim: a second one under the same claim is refused too.
        var second = await Assert.ThrowsAsync<PostgresException>(() => InsertAudit(dataSource, jcm.ProgrammeId, newClaim));

        Assert.Equal(RequestClaims.LostClaimSqlState, stale.SqlState);
        Assert.Equal(RequestClaims.LostClaimSqlState, second.SqlState);
        Assert.True((await RequestClaims.ReadAsync(dataSource, newClaim, Cancel))!.Applied);
    }

    [Fact]
    public async Task A_feed_created_again_with_its_key_is_not_made_twice_and_its_url_is_not_shown_again()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var key = NewKey();

        var first = await Keyed(api, $"/api/people/{person}/feeds", new { }, key);
        var again = await Keyed(api, $"/api/people/{person}/feeds", new { }, key);

        Assert.Contains("/feeds/", first.Created().Str("url"), StringComparison.Ordinal);
        PlanningAssert.Problem(again, HttpStatusCode.Conflict);
        Assert.DoesNotContain("/feeds/", again.Text, StringComparison.Ordinal);
        Assert.Single((await api.GetJson($"/api/feeds?subjectId={person}")).Items());
        await using var read = (await DataSource()).CreateCommand("SELECT count(*) FROM idempotent_requests WHERE answer_body IS NOT NULL AND answer_withheld");
        Assert.Equal(0L, await read.ExecuteScalarAsync(Cancel));
    }

    [Fact]
    public async Task Confirming_and_cancelling_sent_again_with_their_keys_answer_the_same_and_are_recorded_once()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T16:00", "2025-11-11T17:00", "Signing ceremony");
        var confirmKey = NewKey();
        var cancelKey = NewKey();

        var confirmed = await Keyed(api, $"/api/engagements/{meeting.Id()}/confirm", new { }, confirmKey);
        var confirmedAgain = await Keyed(api, $"/api/engagements/{meeting.Id()}/confirm", new { }, confirmKey);
        var cancelled = await Keyed(api, $"/api/engagements/{meeting.Id()}/cancel", new { reason = "The minister's flight was moved." }, cancelKey);
        var cancelledAgain = await Keyed(api, $"/api/engagements/{meeting.Id()}/cancel", new { reason = "The minister's flight was moved." }, cancelKey);

        Assert.Equal("confirmed", confirmed.Ok().Str("status"));
        Assert.Equal(confirmed.Text, confirmedAgain.Text);
        Assert.Equal("cancelled", cancelled.Ok().Str("status"));
        Assert.Equal(cancelled.Text, cancelledAgain.Text);
        Assert.Equal(1, await AuditCount(meeting.Id(), "confirmed"));
        Assert.Equal(1, await AuditCount(meeting.Id(), "cancelled"));
    }

    [Fact]
    public async Task Keys_reply_links_and_rotated_feeds_sent_again_are_made_once_and_their_secrets_shown_once()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T16:00", "2025-11-11T17:00", "Signing ceremony");
        await api.AddAttendee(meeting.Id(), person);
        var feed = (await api.Post($"/api/people/{person}/feeds", new { })).Created();
        var keyName = $"Guangzhou host {Guid.NewGuid():N}";
        (string Path, object Body, string Secret)[] requests =
        [
            ("/api/keys", new { name = keyName, role = "viewer" }, "key"),
            ($"/api/engagements/{meeting.Id()}/attendees/{person}/reply-link", new { }, "url"),
            ($"/api/feeds/{feed.Id()}/rotate", new { }, "url"),
        ];

        foreach (var (path, body, secret) in requests)
        {
            var key = NewKey();
            var first = await Keyed(api, path, body, key);
            var again = await Keyed(api, path, body, key);

            Assert.False(string.IsNullOrEmpty(first.Created().Str(secret)), first.Describe());
            PlanningAssert.Problem(again, HttpStatusCode.Conflict);
            Assert.True(again.Json.GetProperty("applied").GetBoolean(), again.Describe());
            Assert.DoesNotContain(first.Created().Str(secret), again.Text, StringComparison.Ordinal);
        }

        Assert.Single((await api.GetJson("/api/keys")).Items(), k => k.Str("name") == keyName);
        await using var dataSource = await DataSource();
        await using var links = dataSource.CreateCommand("SELECT count(*) FROM reply_links WHERE engagement_id = $1 AND person_id = $2");
        links.Parameters.Add(new() { Value = Guid.Parse(meeting.Id()) });
        links.Parameters.Add(new() { Value = Guid.Parse(person) });
        Assert.Equal(1L, await links.ExecuteScalarAsync(Cancel));
        // The rotation revoked the first feed once and made one replacement.
        Assert.Equal(2, (await api.GetJson($"/api/feeds?subjectId={person}")).Items().Count);
    }

    [Fact]
    public async Task The_openapi_document_offers_the_key_on_every_post_under_api_and_on_nothing_else()
    {
        using var client = fixture.App.CreateClient();
        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel));
        var posts = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var keyed = operation.Value.TryGetProperty("parameters", out var parameters)
                    && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
                var post = operation.Name == "post" && path.Name.StartsWith("/api/", StringComparison.Ordinal);
                posts += post ? 1 : 0;
                Assert.True(keyed == post, $"{operation.Name} {path.Name}: Idempotency-Key {(keyed ? "offered" : "missing")}");
            }
        }

        Assert.True(posts >= 15, $"Only {posts} POSTs under /api in the document.");
    }

    [Fact]
    public async Task A_key_older_than_a_day_is_swept_and_until_then_claimed_afresh()
    {
        await using var dataSource = await DataSource();
        var oldKey = NewKey();
        var staleKey = NewKey();
        var freshKey = NewKey();
        var kept = NodaTime.Duration.FromHours(24);
        foreach (var key in new[] { oldKey, staleKey, freshKey })
        {
            Assert.Null(await RequestClaims.ClaimAsync(dataSource, "test:sweep", key, new byte[32], Guid.CreateVersion7(), GoneSilo, kept, Cancel));
        }

        await using (var age = dataSource.CreateCommand("UPDATE idempotent_requests SET claimed_at = now() - interval '25 hours' WHERE key = ANY($1)"))
        {
            age.Parameters.Add(new() { Value = new[] { oldKey, staleKey } });
            Assert.Equal(2, await age.ExecuteNonQueryAsync(Cancel));
        }

        // Sent again after a day, with another request even: a new claim, not a 422 or a replay.
        var again = Guid.CreateVersion7();
        Assert.Null(await RequestClaims.ClaimAsync(dataSource, "test:sweep", staleKey, [1, 2, 3], again, GoneSilo, kept, Cancel));
        Assert.NotNull(await RequestClaims.ReadAsync(dataSource, again, Cancel));

        Assert.True(await RequestClaims.SweepAsync(dataSource, kept, Cancel) >= 1);
        await using var left = dataSource.CreateCommand("SELECT key FROM idempotent_requests WHERE scope = 'test:sweep' ORDER BY key");
        var keys = new List<string>();
        await using (var reader = await left.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Equal(new[] { staleKey, freshKey }.Order(StringComparer.Ordinal), keys);
    }

    private Task<NpgsqlDataSource> DataSource() => Task.FromResult(PlannerDatabase.CreateDataSource(fixture.App.ConnectionString));

    private async Task<long> AuditCount(string entityId, string action)
    {
        await using var dataSource = await DataSource();
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM audit_entries WHERE entity_id = $1 AND action = $2");
        count.Parameters.Add(new() { Value = Guid.Parse(entityId) });
        count.Parameters.Add(new() { Value = action });
        return (long)(await count.ExecuteScalarAsync(Cancel))!;
    }

    /// <summary>As if the server that applied the key's change died before keeping its answer.</summary>
    private async Task LoseAnswer(string key)
    {
        await using var dataSource = await DataSource();
        await using var lose = dataSource.CreateCommand(
            """
            UPDATE idempotent_requests SET answer_status = NULL, answer_content_type = NULL, answer_location = NULL, answer_body = NULL,
                claimed_by = $2
            WHERE key = $1 AND applied_at IS NOT NULL
            """);
        lose.Parameters.Add(new() { Value = key });
        lose.Parameters.Add(new() { Value = GoneSilo });
        Assert.Equal(1, await lose.ExecuteNonQueryAsync(Cancel));
    }

    /// <summary>A claim on the key held by a silo that is gone, with nothing applied; answers the claim.</summary>
    private async Task<Guid> StageUnappliedClaim(string key, string path, object body)
    {
        await using var dataSource = await DataSource();
        var scope = await AdminScope();
        var claim = Guid.CreateVersion7();
        await using var content = await JsonContent.Create(body).ReadAsStreamAsync(Cancel);
        var hash = await CommissionPlanner.Web.Operations.IdempotencyMiddleware.RequestHashAsync("POST", path, "", content, Cancel);
        Assert.Null(await RequestClaims.ClaimAsync(dataSource, scope, key, hash, claim, GoneSilo, NodaTime.Duration.FromHours(24), Cancel));
        return claim;
    }

    /// <summary>The admin's scope, as the planner stores it: learnt from a keyed request of theirs (a kept 404).</summary>
    private async Task<string> AdminScope()
    {
        using var api = Api();
        var key = NewKey();
        PlanningAssert.Problem(await Keyed(api, $"/api/delegations/{Guid.NewGuid()}/members", new { fullName = "Nobody" }, key), HttpStatusCode.NotFound);
        await using var dataSource = await DataSource();
        await using var read = dataSource.CreateCommand("SELECT scope FROM idempotent_requests WHERE key = $1");
        read.Parameters.Add(new() { Value = key });
        return (string)(await read.ExecuteScalarAsync(Cancel))!;
    }

    private static async Task InsertAudit(NpgsqlDataSource dataSource, string programmeId, Guid claim)
    {
        await using var insert = dataSource.CreateCommand(
            """
            INSERT INTO audit_entries (at, actor, entity_type, entity_id, programme_id, action, request_claim)
            VALUES (now(), 'test', 'programme', $1, $1, 'tested', $2)
            """);
        insert.Parameters.Add(new() { Value = Guid.Parse(programmeId) });
        insert.Parameters.Add(new() { Value = claim });
        await insert.ExecuteNonQueryAsync(Cancel);
    }
}
