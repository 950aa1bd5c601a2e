using System.Globalization;
using CommissionPlanner.FaultTests.Infrastructure;
using CommissionPlanner.Tests.Mail;
using MimeKit;

namespace CommissionPlanner.FaultTests;

/// <summary>
/// Three silos mail through a real SMTP server on loopback, which holds one delivery at a chosen step while the test
/// SIGKILLs the silo that sends it (the one holding the message's lease). The silos left take the dead silo's messages
/// over when its lease runs out. Counted at the server by Message-ID:
/// <list type="bullet">
/// <item>killed before the message went over the wire (waiting for the answer to RCPT TO): every message arrives once;</item>
/// <item>killed after the server stored the message but before its 250 reached the silo: the silo never learnt that it
/// was sent, so it is sent again, with the same Message-ID, and that message alone arrives twice. No sender can tell
/// this case from a message lost in transit (SMTP has no two-phase commit; RFC 1047 describes it); resending the same
/// bytes is the choice that loses nothing, and receivers that collapse one Message-ID show it once.</item>
/// </list>
/// </summary>
public sealed class NotificationKillTests : IAsyncLifetime
{
    private const int People = 24;
    private const int LeaseSeconds = 8;

    private readonly LoopbackMailServer mail = new();
    private LocalCluster cluster = null!;

    public async ValueTask InitializeAsync()
    {
        mail.Start();
        cluster = await LocalCluster.StartAsync("faults-mail", silos: 3, portBase: 60, new Dictionary<string, string>
        {
            ["Planner__Mail__SmtpHost"] = "127.0.0.1",
            ["Planner__Mail__SmtpPort"] = mail.Port.ToString(CultureInfo.InvariantCulture),
            ["Planner__Mail__From"] = "planner@example.org",
            ["Planner__Mail__BatchSeconds"] = "1",
            ["Planner__Mail__PollSeconds"] = "1",
            ["Planner__Mail__RetrySeconds"] = "1",
            ["Planner__Mail__LeaseSeconds"] = LeaseSeconds.ToString(CultureInfo.InvariantCulture),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await cluster.DisposeAsync();
        await mail.DisposeAsync();
    }

    [Fact]
    public async Task A_silo_killed_mid_send_loses_no_message_and_resends_only_the_one_the_server_took_in_its_last_moment()
    {
        var output = TestContext.Current.TestOutputHelper;
        var apis = cluster.Silos.ToDictionary(s => s.Index, s => new Api(cluster.Client(s.Index), s.Index));
        try
        {
            var plan = await Plan.Create(apis[1], people: People, meetings: 1);
            var meeting = plan.Meetings[0];
            await apis[1].Must(HttpMethod.Patch, $"/api/programmes/{plan.ProgrammeId}", new { notificationsEnabled = true });
            var addresses = await AddressesAsync(apis[1], plan);

            // Round 1: everyone is invited; the fourth delivery is held before RCPT TO is answered and its sender killed.
            var beforeRecipient = mail.HoldAt(MailStep.BeforeRecipientReply, skip: 3);
            foreach (var person in plan.People)
            {
                await apis[1].Must(HttpMethod.Post, $"/api/engagements/{meeting.Id}/attendees", new { personId = person, role = "required" });
            }

            var first = await KillTheSenderAsync(beforeRecipient, output);
            await WaitUntilSentAsync(plan.ProgrammeId, People);
            var round1 = ByRecipient(addresses.Values);
            foreach (var address in addresses.Values)
            {
                Assert.True(round1[address].Count == 1, $"{address} received {round1[address].Count} invitations after the kill before RCPT TO.");
            }

            Assert.True(mail.Received.Select(m => m.MessageId).Distinct().Count() == People, "A Message-ID arrived twice in round 1.");
            Assert.Contains(first.Recipient, addresses.Values, StringComparer.OrdinalIgnoreCase);
            await AssertStoredAsSentAsync(plan.ProgrammeId);

            // Round 2: the meeting moves; the fourth delivery is held after the server stored it, before its 250, and its
            // sender killed. The API call goes to a survivor and may wait until the dead silo's grains live again.
            var beforeReply = mail.HoldAt(MailStep.BeforeDataReply, skip: 3);
            var survivor = apis.Values.First(a => cluster.IsRunning(a.Silo));
            var moved = meeting.Start.AddMinutes(45);
            await PatchUntilAppliedAsync(survivor, $"/api/engagements/{meeting.Id}", new { start = Plan.Local(moved), end = Plan.Local(moved.AddHours(1)) });
            var second = await KillTheSenderAsync(beforeReply, output);
            var heldId = second.Message!.MessageId!;
            await WaitUntilSentAsync(plan.ProgrammeId, 2 * People);

            // Nothing lost: everyone has the invitation and the change. Nothing twice but the one the server took as the
            // silo died, and that one as the same bytes under the same Message-ID (the calendar part's SEQUENCE too).
            var all = ByRecipient(addresses.Values);
            foreach (var address in addresses.Values)
            {
                var ids = all[address].Select(m => m.MessageId).ToList();
                Assert.True(ids.Distinct().Count() == 2, $"{address} has {ids.Distinct().Count()} distinct messages, not 2 (an invitation and a change).");
                var expected = string.Equals(address, second.Recipient, StringComparison.OrdinalIgnoreCase) ? 3 : 2;
                Assert.True(ids.Count == expected, $"{address} received {ids.Count} messages, expected {expected}.");
            }

            var twice = mail.Received.GroupBy(m => m.MessageId).Where(g => g.Count() > 1).ToList();
            Assert.Equal([heldId], twice.Select(g => g.Key).ToList());
            var copies = twice[0].Select(Calendar).ToList();
            Assert.Equal(copies[0], copies[1]);
            Assert.Contains("METHOD:REQUEST", copies[0], StringComparison.Ordinal);
            await AssertStoredAsSentAsync(plan.ProgrammeId);

            // Staff see which messages were taken over from a dead silo, and so may have arrived twice.
            var (attempts, error) = await RowAsync(heldId);
            Assert.Equal(2, attempts);
            Assert.StartsWith("Interrupted: the silo sending it stopped", error, StringComparison.Ordinal);
            output?.WriteLine($"Held and killed silo {first.Silo} before RCPT TO and silo {second.Silo} before the 250: " +
                $"{mail.Received.Count} messages at the server for {2 * People} notifications, one Message-ID twice ({heldId}).");
        }
        finally
        {
            foreach (var api in apis.Values)
            {
                api.Dispose();
            }
        }
    }

    /// <summary>Waits for the held delivery, finds the silo holding its lease, kills it, then lets the server go on.</summary>
    private async Task<(int Silo, string Recipient, MimeMessage? Message)> KillTheSenderAsync(
        MailHold hold, ITestOutputHelper? output)
    {
        var reached = await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        await using var db = await cluster.OpenDatabaseAsync();
        await using var query = db.CreateCommand();
        query.CommandText = reached.Message is { } message
            ? "SELECT lease_owner FROM notifications WHERE message_id = @key AND status = 'ready'"
            : "SELECT lease_owner FROM notifications WHERE lower(email) = lower(@key) AND status = 'ready' AND lease_owner IS NOT NULL";
        query.Parameters.AddWithValue("key", reached.Message?.MessageId ?? reached.Recipient);
        var owner = (string?)await query.ExecuteScalarAsync();
        Assert.True(owner is not null, $"No lease is held on the message to {reached.Recipient} that the server holds.");
        // "machine:pid:guid" (NotificationOutbox's lease owner).
        var pid = int.Parse(owner.Split(':')[1], CultureInfo.InvariantCulture);
        var silo = cluster.Silos.Single(s => s.Pid == pid).Index;
        await cluster.KillSiloAsync(silo);
        // SIGKILL is sent; the process is gone a moment later.
        for (var wait = 0; wait < 100 && cluster.IsRunning(silo); wait++)
        {
            await Task.Delay(50);
        }

        Assert.False(cluster.IsRunning(silo));
        output?.WriteLine($"Silo {silo} killed while the server held its message to {reached.Recipient} at {hold.Step}.");
        hold.Release();
        return (silo, reached.Recipient, reached.Message);
    }

    /// <summary>Until every notification of the programme so far is sent (the lease must run out first).</summary>
    private async Task WaitUntilSentAsync(string programmeId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90 + LeaseSeconds);
        string counts;
        while (true)
        {
            await using var db = await cluster.OpenDatabaseAsync();
            await using var query = db.CreateCommand();
            query.CommandText = "SELECT status, count(*) FROM notifications WHERE programme_id = @p GROUP BY status ORDER BY status";
            query.Parameters.AddWithValue("p", Guid.Parse(programmeId));
            var rows = new List<(string Status, long Count)>();
            await using (var reader = await query.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            counts = string.Join(", ", rows.Select(r => $"{r.Count} {r.Status}"));
            if (rows.Count == 1 && rows[0] == ("sent", count))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Not all {count} notifications were sent in time: {counts}.{Environment.NewLine}{cluster.LogTails()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Every row sent once with a Message-ID the server received: the outbox's record agrees with the server's.</summary>
    private async Task AssertStoredAsSentAsync(string programmeId)
    {
        await using var db = await cluster.OpenDatabaseAsync();
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT message_id FROM notifications WHERE programme_id = @p AND status = 'sent'";
        query.Parameters.AddWithValue("p", Guid.Parse(programmeId));
        var stored = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.Equal(stored.Order(StringComparer.Ordinal), mail.Received.Select(m => m.MessageId).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>A notification's attempts and error, by Message-ID.</summary>
    private async Task<(int Attempts, string? Error)> RowAsync(string messageId)
    {
        await using var db = await cluster.OpenDatabaseAsync();
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT attempts, error FROM notifications WHERE message_id = @m";
        query.Parameters.AddWithValue("m", messageId);
        await using var reader = await query.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private static async Task<Dictionary<string, string>> AddressesAsync(Api api, Plan plan)
    {
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var person in plan.People)
        {
            addresses[person] = (await api.Must(HttpMethod.Get, $"/api/people/{person}", null)).GetProperty("email").GetString()!;
        }

        return addresses;
    }

    private Dictionary<string, List<MimeMessage>> ByRecipient(IEnumerable<string> addresses) =>
        addresses.ToDictionary(a => a, a => mail.To(a).ToList(), StringComparer.OrdinalIgnoreCase);

    /// <summary>A message's text/calendar part, as sent.</summary>
    private static string Calendar(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().First(p => p.ContentType.IsMimeType("text", "calendar")).Text;

    /// <summary>A PATCH that may meet 503s while the cluster notices a dead silo; the same target each time, so retrying is safe.</summary>
    private static async Task PatchUntilAppliedAsync(Api api, string path, object body)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var answer = await api.Patch(path, body);
            if (answer.Ok)
            {
                return;
            }

            Assert.True(answer.Status is 0 or 503 && DateTime.UtcNow < deadline, answer.Describe());
            await Task.Delay(500);
        }
    }
}
