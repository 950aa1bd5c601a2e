using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Notifications;

/// <summary>Delivery when the mail server is away: its own fixture, since it stops that server.</summary>
public sealed class NotificationDeliveryTests(NotificationFixture fixture) : IClassFixture<NotificationFixture>
{
    [Fact]
    public async Task With_the_mail_server_down_messages_wait_and_are_each_delivered_once_when_it_is_back()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var people = new List<(string Id, string Email)>();
        for (var i = 0; i < 5; i++)
        {
            var person = await api.AddMember(jcm.DelegationId, $"Delegate {i}");
            people.Add((person.Id(), person.Str("email")));
        }

        var plenary = (await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary")).Id();
        foreach (var person in people)
        {
            await api.AddAttendee(plenary, person.Id);
        }

        (await api.Patch($"/api/programmes/{jcm.ProgrammeId}", new { notificationsEnabled = true })).Ok();
        await fixture.Mail.StopAsync();
        try
        {
            await api.PatchEngagement(plenary, new { start = "2025-11-11T14:15", end = "2025-11-11T15:00" });
            var attempt = (await api.Post($"/api/programmes/{jcm.ProgrammeId}/notifications/send", null)).Ok();
            Assert.Equal(0, attempt.GetProperty("sent").GetInt32());
            Assert.Equal(5, attempt.GetProperty("queued").GetInt32());

            var waiting = await api.GetJson($"/api/programmes/{jcm.ProgrammeId}/notifications?status=queued");
            Assert.Equal(5, waiting.GetArrayLength());
            Assert.All(waiting.EnumerateArray(), n =>
            {
                Assert.True(n.GetProperty("attempts").GetInt32() >= 1);
                Assert.False(string.IsNullOrEmpty(n.Str("error")));
            });
        }
        finally
        {
            fixture.Mail.Start();
        }

        // The sender's own retries deliver them: once each.
        foreach (var person in people)
        {
            Assert.Single(await fixture.Mail.WaitForAsync(person.Email));
        }

        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.All(people, person => Assert.Single(fixture.Mail.To(person.Email)));
        Assert.Equal(5, fixture.Mail.Received.Select(m => m.MessageId).Distinct().Count());
        var sent = await api.GetJson($"/api/programmes/{jcm.ProgrammeId}/notifications?status=sent");
        Assert.Equal(5, sent.GetArrayLength());
        Assert.All(sent.EnumerateArray(), n => Assert.False(string.IsNullOrEmpty(n.Str("serverResponse"))));
    }
}
