using System.Net;
using System.Text;
using System.Text.Json;
using CommissionPlanner.Tests.IcalValidation;
using CommissionPlanner.Tests.Mail;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using MimeKit;

namespace CommissionPlanner.Web.Tests.Notifications;

/// <summary>A planner that mails through a real SMTP server on loopback, with a short batch window.</summary>
public sealed class NotificationFixture : IAsyncLifetime
{
    public const int BatchSeconds = 2;

    public LoopbackMailServer Mail { get; } = new();

    public PlannerApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Mail.Start();
        App = new PlannerApp(await TestDatabase.CreateAsync("mail"), $"test-{Guid.NewGuid():N}")
        {
            Settings = new Dictionary<string, string>
            {
                ["Planner:Mail:SmtpHost"] = "127.0.0.1",
                ["Planner:Mail:SmtpPort"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Planner:Mail:From"] = "planner@example.org",
                ["Planner:Mail:FromName"] = "Commission Planner",
                ["Planner:Mail:BatchSeconds"] = BatchSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Planner:Mail:PollSeconds"] = "1",
                ["Planner:Mail:RetrySeconds"] = "1",
                ["Planner:PublicBaseUrl"] = "https://planner.example.org",
            },
        };
        using var client = App.CreateClient();
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

public sealed class NotificationTests(NotificationFixture fixture) : IClassFixture<NotificationFixture>
{
    /// <summary>A programme with notifications on, two delegates at the plenary and one elsewhere; nobody told anything yet.</summary>
    private sealed record World(JcmSetup Jcm, string PlenaryId, string VisitId, Person Ellery, Person Grant, Person Elsewhere);

    private sealed record Person(string Id, string Email);

    private static async Task<World> SetUp(PlanningClient api, bool enable = true)
    {
        var jcm = await Jcm.SetUp(api);
        async Task<Person> Delegate(string name)
        {
            var person = await api.AddMember(jcm.DelegationId, name);
            return new Person(person.Id(), person.Str("email"));
        }

        var ellery = await Delegate("Professor Margaret Ellery");
        var grant = await Delegate("Dr Owen Grant");
        var elsewhere = await Delegate("Ms Li Hua");
        var plenary = (await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary of the Joint Commission")).Id();
        var visit = (await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-12T10:00", "2025-11-12T12:00", "Institute for Carbon Neutrality")).Id();
        await api.AddAttendee(plenary, ellery.Id);
        await api.AddAttendee(plenary, grant.Id);
        await api.AddAttendee(visit, elsewhere.Id);
        if (enable)
        {
            (await api.Patch($"/api/programmes/{jcm.ProgrammeId}", new { notificationsEnabled = true })).Ok();
        }

        return new World(jcm, plenary, visit, ellery, grant, elsewhere);
    }

    private static async Task<JsonElement> SendNow(PlanningClient api, string programmeId) =>
        (await api.Post($"/api/programmes/{programmeId}/notifications/send", null)).Ok();

    private static List<TextPart> CalendarParts(MimeMessage message) =>
        [.. message.BodyParts.OfType<TextPart>().Where(p => p.ContentType.MimeType == "text/calendar")];

    private static byte[] Bytes(TextPart part) => Encoding.UTF8.GetBytes(part.Text);

    [Fact]
    public async Task Moving_an_engagement_sends_each_attendee_one_request_with_the_feeds_uid_and_the_next_sequence()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var world = await SetUp(api);
        var sequenceBefore = (await api.GetEngagement(world.PlenaryId)).GetProperty("sequence").GetInt32();
        await api.PatchEngagement(world.PlenaryId, new { start = "2025-11-11T11:00", end = "2025-11-11T13:30" });
        var sent = await SendNow(api, world.Jcm.ProgrammeId);
        Assert.Equal(2, sent.GetProperty("sent").GetInt32());

        foreach (var person in new[] { world.Ellery, world.Grant })
        {
            var message = Assert.Single(await fixture.Mail.WaitForAsync(person.Email));
            Assert.Equal(person.Email, Assert.Single(message.To.Mailboxes).Address);
            var part = Assert.Single(CalendarParts(message).DistinctBy(p => p.Text));
            Assert.Equal("REQUEST", part.ContentType.Parameters["method"], ignoreCase: true);

            var calendar = Ical.Net.Calendar.Load(part.Text)!;
            Assert.Equal("REQUEST", calendar.Method);
            var vevent = Assert.Single(calendar.Events);
            Assert.Equal($"{world.PlenaryId}@commission-planner", vevent.Uid);
            Assert.Equal(sequenceBefore + 1, vevent.Sequence);
            Assert.Equal("Asia/Shanghai", vevent.DtStart!.TzId);
            Assert.Equal(new DateTime(2025, 11, 11, 11, 0, 0), vevent.DtStart.Value);
            // A reply link of the person's own, which answers without a key.
            var link = System.Text.RegularExpressions.Regex.Match(message.TextBody ?? "", @"https://planner\.example\.org(/reply/[A-Za-z0-9_-]+)");
            Assert.True(link.Success, message.TextBody);
            using (var anonymous = fixture.App.CreateClient())
            using (var page = await anonymous.GetAsync(new Uri(link.Groups[1].Value, UriKind.Relative), TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            // Only the recipient's own attendee line.
            Assert.Equal($"mailto:{person.Email}", Assert.Single(vevent.Attendees).Value!.OriginalString, ignoreCase: true);

            var js = await IcalJs.ValidateAsync(Bytes(part));
            Assert.Null(js.Error);
            Assert.Equal("REQUEST", js.Method);
            Assert.Equal("2025-11-11T03:00:00Z", Assert.Single(js.Events).StartUtc);
            var py = await PythonIcalendar.ParseAsync(Bytes(part));
            Assert.Null(py.Error);
            Assert.Equal(sequenceBefore + 1, Assert.Single(py.Events).Sequence);
        }

        // The one at the other engagement is not affected.
        await Task.Delay(TimeSpan.FromSeconds(NotificationFixture.BatchSeconds + 1.5), TestContext.Current.CancellationToken);
        Assert.Empty(fixture.Mail.To(world.Elsewhere.Email));

        var listed = await api.GetJson($"/api/programmes/{world.Jcm.ProgrammeId}/notifications?status=sent");
        Assert.Equal(2, listed.GetArrayLength());
        var first = listed.EnumerateArray().First();
        Assert.Equal("sent", first.Str("status"));
        Assert.Equal(world.PlenaryId, Assert.Single(first.GetProperty("engagementIds").EnumerateArray()).GetString());
        Assert.False(string.IsNullOrEmpty(first.Str("messageId")));
    }

    [Fact]
    public async Task Cancelling_sends_a_cancel()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var world = await SetUp(api);
        await api.CancelEngagement(world.PlenaryId, "The minister's flight was delayed.");
        await SendNow(api, world.Jcm.ProgrammeId);

        var message = Assert.Single(await fixture.Mail.WaitForAsync(world.Ellery.Email));
        var part = CalendarParts(message).First();
        Assert.Equal("CANCEL", part.ContentType.Parameters["method"], ignoreCase: true);
        var vevent = Assert.Single(Ical.Net.Calendar.Load(part.Text)!.Events);
        Assert.Equal("CANCELLED", vevent.Status);
        Assert.Equal($"{world.PlenaryId}@commission-planner", vevent.Uid);
        Assert.Contains("The minister's flight was delayed.", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_changes_within_the_window_give_one_email_telling_the_last()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var world = await SetUp(api);
        await api.PatchEngagement(world.PlenaryId, new { start = "2025-11-11T11:00", end = "2025-11-11T13:30" });
        await api.PatchEngagement(world.PlenaryId, new { title = "Plenary (moved)" });
        // No "send now": the sender's own loop sends once the window has passed.
        var messages = await fixture.Mail.WaitForAsync(world.Ellery.Email);
        await Task.Delay(TimeSpan.FromSeconds(NotificationFixture.BatchSeconds + 2), TestContext.Current.CancellationToken);

        var message = Assert.Single(fixture.Mail.To(world.Ellery.Email));
        Assert.Single(messages);
        var vevent = Assert.Single(Ical.Net.Calendar.Load(CalendarParts(message).First().Text)!.Events);
        Assert.Equal("Plenary (moved)", vevent.Summary);
        Assert.Equal(new DateTime(2025, 11, 11, 11, 0, 0), vevent.DtStart!.Value);
    }

    [Fact]
    public async Task A_change_undone_within_the_window_sends_nothing()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var world = await SetUp(api);
        await api.PatchEngagement(world.PlenaryId, new { start = "2025-11-11T11:00", end = "2025-11-11T13:30" });
        await api.PatchEngagement(world.PlenaryId, new { start = "2025-11-11T10:00", end = "2025-11-11T12:30" });
        var sent = await SendNow(api, world.Jcm.ProgrammeId);

        Assert.Equal(0, sent.GetProperty("sent").GetInt32());
        Assert.Equal(0, sent.GetProperty("queued").GetInt32());
        Assert.Empty(fixture.Mail.To(world.Ellery.Email));
    }

    [Fact]
    public async Task Declined_opted_out_and_unaffected_people_get_nothing()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var world = await SetUp(api);
        await api.SetResponse(world.PlenaryId, world.Ellery.Id, "declined");
        (await api.Patch($"/api/people/{world.Grant.Id}", new { notify = false })).Ok();
        await api.PatchEngagement(world.PlenaryId, new { start = "2025-11-11T11:00", end = "2025-11-11T13:30" });
        await SendNow(api, world.Jcm.ProgrammeId);
        await Task.Delay(TimeSpan.FromSeconds(NotificationFixture.BatchSeconds + 1.5), TestContext.Current.CancellationToken);

        Assert.Empty(fixture.Mail.To(world.Ellery.Email));
        Assert.Empty(fixture.Mail.To(world.Grant.Email));
        Assert.Empty(fixture.Mail.To(world.Elsewhere.Email));
        Assert.False((await api.GetJson($"/api/people/{world.Grant.Id}")).GetProperty("notify").GetBoolean());
    }

    [Fact]
    public async Task Added_to_a_list_is_an_invitation_and_taken_off_it_a_cancel()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var world = await SetUp(api);
        await api.AddAttendee(world.VisitId, world.Ellery.Id);
        await SendNow(api, world.Jcm.ProgrammeId);
        var invitation = Assert.Single(await fixture.Mail.WaitForAsync(world.Ellery.Email));
        Assert.Equal("REQUEST", CalendarParts(invitation).First().ContentType.Parameters["method"], ignoreCase: true);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Send(HttpMethod.Delete, $"/api/engagements/{world.VisitId}/attendees/{world.Ellery.Id}")).Status);
        await SendNow(api, world.Jcm.ProgrammeId);
        var messages = await fixture.Mail.WaitForAsync(world.Ellery.Email, 2);
        Assert.Equal(2, messages.Count);
        Assert.Equal("CANCEL", CalendarParts(messages[1]).First().ContentType.Parameters["method"], ignoreCase: true);
        Assert.NotEqual(messages[0].MessageId, messages[1].MessageId);
    }

    [Fact]
    public async Task A_programme_with_notifications_off_sends_nothing()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var world = await SetUp(api, enable: false);
        Assert.False((await api.GetJson($"/api/programmes/{world.Jcm.ProgrammeId}")).GetProperty("notificationsEnabled").GetBoolean());
        await api.PatchEngagement(world.PlenaryId, new { start = "2025-11-11T11:00", end = "2025-11-11T13:30" });
        var sent = await SendNow(api, world.Jcm.ProgrammeId);

        Assert.Equal(0, sent.GetProperty("sent").GetInt32());
        Assert.Equal(0, (await api.GetJson($"/api/programmes/{world.Jcm.ProgrammeId}/notifications")).GetArrayLength());
        Assert.Empty(fixture.Mail.To(world.Ellery.Email));
    }

    [Fact]
    public async Task Bad_filters_and_unknown_programmes_are_refused_with_problem_details()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var world = await SetUp(api, enable: false);
        PlanningAssert.Problem(await api.Get($"/api/programmes/{world.Jcm.ProgrammeId}/notifications?status=lost"), HttpStatusCode.BadRequest, "status");
        PlanningAssert.Problem(await api.Get($"/api/programmes/{world.Jcm.ProgrammeId}/notifications?personId=me"), HttpStatusCode.BadRequest, "personId");
        PlanningAssert.Problem(await api.Get($"/api/programmes/{Guid.NewGuid()}/notifications"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Post($"/api/programmes/{Guid.NewGuid()}/notifications/send", null), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Patch($"/api/programmes/{world.Jcm.ProgrammeId}", new { notificationsEnabled = "yes" }), HttpStatusCode.BadRequest, "notificationsEnabled");
        PlanningAssert.Problem(await api.Patch($"/api/people/{world.Ellery.Id}", new { notify = (bool?)null }), HttpStatusCode.BadRequest, "notify");
    }
}

/// <summary>The staff page: switch, what will go out, what went out, who has not been reached.</summary>
public sealed class NotificationPageTests(NotificationFixture fixture) : IClassFixture<NotificationFixture>
{
    [Fact]
    public async Task The_page_switches_emails_on_shows_what_waits_sends_it_and_names_who_is_not_reached()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var person = await api.AddMember(jcm.DelegationId, "Professor Margaret Ellery");
        var plenary = (await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary")).Id();
        await api.AddAttendee(plenary, person.Id());

        using var browser = Ui.Browserish.Client(fixture.App);
        await Ui.Browserish.SignIn(browser, PlannerApp.AdminKey);
        var path = $"/programmes/{jcm.ProgrammeId}/notifications";
        var version = (await api.GetJson($"/api/programmes/{jcm.ProgrammeId}")).GetProperty("version").GetInt32();
        using (var switched = await Ui.Browserish.Post(browser, $"{path}?handler=Switch", ("__RequestVerificationToken", await Ui.Browserish.Token(browser, path)),
            ("enable", "true"), ("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            Assert.True(switched.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.OK, switched.StatusCode.ToString());
        }

        Assert.True((await api.GetJson($"/api/programmes/{jcm.ProgrammeId}")).GetProperty("notificationsEnabled").GetBoolean());
        await api.PatchEngagement(plenary, new { start = "2025-11-11T11:00", end = "2025-11-11T13:30" });
        var waiting = await browser.GetStringAsync(new Uri(path, UriKind.Relative), ct);
        Assert.Contains("Will go out (1)", waiting, StringComparison.Ordinal);
        Assert.Contains("Not reached since their last change (1)", waiting, StringComparison.Ordinal);

        using (var sent = await Ui.Browserish.Post(browser, $"{path}?handler=Send", ("__RequestVerificationToken", await Ui.Browserish.Token(browser, path))))
        {
            Assert.True(sent.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.OK, sent.StatusCode.ToString());
        }

        Assert.Single(await fixture.Mail.WaitForAsync(person.Str("email")));
        var after = await browser.GetStringAsync(new Uri(path, UriKind.Relative), ct);
        Assert.Contains("Went out (1)", after, StringComparison.Ordinal);
        Assert.Contains("Not reached since their last change (0)", after, StringComparison.Ordinal);
    }
}
