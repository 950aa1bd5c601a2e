using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using CommissionPlanner.Calendar;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NodaTime;

namespace CommissionPlanner.Web.Feeds;

/// <summary><c>Planner:Feeds</c>: how often calendar clients are asked to refresh.</summary>
public sealed class FeedSettings
{
    public const string Section = "Planner:Feeds";

    [System.ComponentModel.DataAnnotations.Range(5, 24 * 60)]
    public int RefreshMinutes { get; set; } = 60;

    /// <summary>The ORGANIZER of organiser (programme and engagement) feeds, e.g. the secretariat; none when unset.</summary>
    public string? OrganizerName { get; set; }

    [System.ComponentModel.DataAnnotations.EmailAddress]
    public string? OrganizerEmail { get; set; }

    /// <summary>
    /// How often <see cref="FeedWarmUp"/> renders its made-up feed at start: often enough (60, about 1.2 s on a 2-core
    /// machine) for tiered compilation to have recompiled the renderer and Ical.Net's serializers optimised before the
    /// first real feed. The queries are warmed, and the feed's busy and person variants rendered once, whatever this
    /// says; the tests' hosts, which start by the dozen and render small feeds, use 1.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1000)]
    public int WarmUpRenders { get; set; } = 60;

    /// <summary>
    /// Whether a feed is rendered as soon as it is made (or rotated), before its first GET (<see cref="FeedService.RenderAhead"/>):
    /// on by default. A 5,000-event programme feed takes 2 seconds to render, which its first subscriber would otherwise
    /// wait for; calendar clients give up on slow subscriptions.
    /// </summary>
    public bool RenderAhead { get; set; } = true;
}

/// <summary>A rendered feed: its bytes, strong ETag and the time its content last changed.</summary>
public sealed record FeedContent(Guid FeedId, byte[] Body, string ETag, Instant LastModified)
{
    /// <summary>
    /// Set when PostgreSQL could not be asked and this is the silo's last good answer for the token: how many seconds ago
    /// it was last checked against the database (the response's <c>Age</c>).
    /// </summary>
    public long? StaleSeconds { get; init; }

    /// <summary>Last-Modified as an HTTP date, formatted once per render rather than per poll.</summary>
    public string LastModifiedHeader { get; } = HeaderUtilities.FormatDate(LastModified.ToDateTimeOffset());
}

/// <summary>
/// Serves feeds by token. A render is cached per (feed, programme change stamp, day), so thousands of
/// polling calendars cost one indexed read each until something in the programme changes; the day is in
/// the key because cancelled engagements drop out 30 days after their cancellation.
/// </summary>
public sealed class FeedService(
    IDbContextFactory<PlannerDbContext> dbFactory, Npgsql.NpgsqlDataSource dataSource, IClock clock, IMemoryCache cache, IOptions<FeedSettings> settings,
    ILogger<FeedService> logger)
{
    /// <summary>How long a cancelled engagement stays in feeds, so every client that saw it learns it is cancelled.</summary>
    public static readonly Duration CancelledRetention = Duration.FromDays(30);

    private static readonly Duration FetchRecordInterval = Duration.FromMinutes(1);

    /// <summary>
    /// How long a served feed is answered from memory without asking PostgreSQL, unless this process committed a change to
    /// the feed's programme meanwhile (<see cref="LocalWrites"/>): the bound on how late a change made through another silo
    /// (or a revocation there) reaches a poll here. Changes made through this silo are seen at once.
    /// </summary>
    private const long RevalidateAfterMilliseconds = 1000;

    private const int MaxServedEntries = 100_000;

    /// <summary>
    /// The bodies the last answers hold, at most: as much as the render cache's size limit. Without it, a silo polled by
    /// 100,000 calendars would keep every body it served (some 5 GB of 52 KB feeds) after the render cache let them go.
    /// </summary>
    private const long MaxServedBytes = 256L * 1024 * 1024;

    /// <summary>The bytes of the bodies in <see cref="served"/>, about: concurrent answers can make it drift a little.</summary>
    private long servedBytes;

    /// <summary>
    /// How long past <see cref="RevalidateAfterMilliseconds"/> a poll may still be answered from memory while another
    /// request for the same token is asking PostgreSQL. One request revalidates and the others do not queue behind it, so
    /// a slow moment in the database (a checkpoint's writes, say) holds up one poll of a token instead of every poll of it.
    /// Past this, polls wait for PostgreSQL like the first.
    /// </summary>
    private const long RevalidatingGraceMilliseconds = 2000;

    /// <summary>The last answer per token, for polls that repeat within <see cref="RevalidateAfterMilliseconds"/>.</summary>
    private readonly ConcurrentDictionary<string, Served> served = new(StringComparer.Ordinal);

    /// <summary>The tokens that one request is revalidating now.</summary>
    private readonly ConcurrentDictionary<string, bool> revalidating = new(StringComparer.Ordinal);

    public async Task<FeedContent?> GetAsync(string token, string baseUrl, string? userAgent, CancellationToken ct)
    {
        if (!UrlTokens.LooksLikeToken(token))
        {
            return null;
        }

        var agent = userAgent is { Length: > 300 } ? userAgent[..300] : userAgent;
        // Read before PostgreSQL is: a change to the programme that races with this request leaves the entry stored below
        // already stale.
        var writes = LocalWrites.Version;
        // Keyed by the token itself, which this process holds anyway while it serves the request: no hash per poll. A
        // change this silo committed to the feed's programme since the entry was read makes it stale; changes to other
        // programmes do not (LocalWrites).
        var revalidator = false;
        if (served.TryGetValue(token, out var hit) && !hit.Gone && LocalWrites.VersionOf(hit.ProgrammeId) <= hit.WritesVersion
            && hit.BaseUrl == baseUrl && hit.UserAgent == agent
            && clock.GetCurrentInstant() is var at && at.InUtc().Date == hit.Day)
        {
            // Still the same day (cancelled engagements drop out by day).
            var age = Environment.TickCount64 - hit.CheckedAt;
            if (age < RevalidateAfterMilliseconds && at - hit.FetchRecordedAt <= FetchRecordInterval)
            {
                return hit.Content;
            }

            revalidator = revalidating.TryAdd(token, true);
            if (!revalidator && age < RevalidateAfterMilliseconds + RevalidatingGraceMilliseconds)
            {
                return hit.Content;
            }
        }

        try
        {
            return await LookUpAsync(token, baseUrl, agent, writes, ct);
        }
        catch (Exception ex) when (Hosting.PlannerExceptionHandler.IsDatabaseUnavailable(ex)
            && served.TryGetValue(token, out var last) && last.BaseUrl == baseUrl)
        {
            // PostgreSQL is unreachable: calendars keep what they had instead of an error, marked stale (docs/feeds.md).
            // A token this silo has seen revoked or gone still answers 404.
            return last.Gone ? null : last.Content with { StaleSeconds = Math.Max(0, (Environment.TickCount64 - last.CheckedAt) / 1000) };
        }
        finally
        {
            if (revalidator)
            {
                revalidating.TryRemove(token, out _);
            }
        }
    }

    /// <summary>Stops serving a feed from memory at once: this silo revoked it (the database says so too).</summary>
    public void Forget(Guid feedId)
    {
        foreach (var (token, entry) in served)
        {
            if (entry.Content.FeedId == feedId)
            {
                served[token] = entry with { Gone = true };
            }
        }
    }

    private async Task<FeedContent?> LookUpAsync(string token, string baseUrl, string? agent, long writes, CancellationToken ct)
    {
        var hash = UrlTokens.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await LiveWithStamps(db, db.Feeds.Where(f => f.TokenHash == hash)).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            // Revoked or deleted since this silo served it: never served from memory again, not even in an outage. (Only
            // tokens once served are remembered so; unknown ones are not, or guessing could fill the map.)
            if (served.TryGetValue(token, out var gone))
            {
                served[token] = gone with { Gone = true };
            }

            return null;
        }

        var feed = found.Feed;
        var now = clock.GetCurrentInstant();
        var key = new RenderKey(feed.Id, found.Stamp, now.InUtc().Date, baseUrl);
        if (!cache.TryGetValue(key, out (byte[] Body, string ETag) rendered))
        {
            if (await RenderOnceAsync(key, feed, now).WaitAsync(ct) is not { } fresh)
            {
                return null;
            }

            rendered = fresh;
        }

        var contentChanged = feed.ContentTag != rendered.ETag;
        if (contentChanged)
        {
            // Last-Modified moves only forward, and only when what clients see changed. HTTP dates have whole
            // seconds, so each change gets a whole second strictly later than the last: two changes within one
            // second must not look alike to a client that sends only If-Modified-Since.
            var changedAt = Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
            if (feed.ContentChangedAt is { } previous && changedAt <= previous)
            {
                changedAt = previous + Duration.FromSeconds(1);
            }

            feed.ContentTag = rendered.ETag;
            feed.ContentChangedAt = changedAt;
        }

        var fetchRecorded = feed.LastFetchedAt is not { } last || now - last > FetchRecordInterval || feed.LastUserAgent != agent;
        if (fetchRecorded)
        {
            feed.LastFetchedAt = now;
            feed.LastUserAgent = agent;
            feed.FetchCount++;
        }

        if (contentChanged || fetchRecorded)
        {
            // Bookkeeping: it moves no stamp and waits for no disk (FeedFetches).
            await FeedFetches.RecordAsync(dataSource, new FeedFetch(
                feed.Id, rendered.ETag, feed.ContentChangedAt!.Value, feed.LastFetchedAt!.Value, feed.LastUserAgent, fetchRecorded ? 1 : 0), ct);
        }

        var content = new FeedContent(feed.Id, rendered.Body, rendered.ETag, feed.ContentChangedAt ?? feed.CreatedAt);
        if (served.Count >= MaxServedEntries || Interlocked.Read(ref servedBytes) > MaxServedBytes)
        {
            // Starting again empty is cheap: each token's next poll asks PostgreSQL once, and its render is likely cached.
            served.Clear();
            Interlocked.Exchange(ref servedBytes, 0);
        }

        var replaced = served.TryGetValue(token, out var before) ? before.Content.Body.Length : 0;
        served[token] = new Served(content, feed.ProgrammeId, writes, Environment.TickCount64, now.InUtc().Date, baseUrl, agent, feed.LastFetchedAt ?? now);
        Interlocked.Add(ref servedBytes, content.Body.Length - replaced);
        return content;
    }

    /// <summary>
    /// The feed rendered for <paramref name="key"/>, by one render however many requests miss the cache together: the
    /// first GETs of a new or changed feed come from many calendars at once, and a 5,000-event programme feed costs
    /// seconds of CPU and half a gigabyte of allocations per render (docs/performance.md), so each request rendering it
    /// on its own could stall the silo. The render reads through a context of its own and is not cancelled with the
    /// request that started it: the others are waiting for it. Null when the feed's subject is gone.
    /// </summary>
    private Task<(byte[] Body, string ETag)?> RenderOnceAsync(RenderKey key, FeedRecord feed, Instant now)
    {
        while (true)
        {
            if (renders.TryGetValue(key, out var running))
            {
                return running;
            }

            var render = new TaskCompletionSource<(byte[] Body, string ETag)?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (renders.TryAdd(key, render.Task))
            {
                _ = RenderAsync(render);
                return render.Task;
            }
        }

        async Task RenderAsync(TaskCompletionSource<(byte[] Body, string ETag)?> render)
        {
            try
            {
                Interlocked.Increment(ref rendersStarted);
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                var calendar = await BuildAsync(db, feed, key.BaseUrl, now, CancellationToken.None);
                (byte[] Body, string ETag)? rendered = null;
                if (calendar is not null)
                {
                    var body = FeedRenderer.RenderUtf8(calendar);
                    rendered = (body, "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..32] + "\"");
                    cache.Set(key, rendered.Value, new MemoryCacheEntryOptions { Size = body.Length, SlidingExpiration = TimeSpan.FromHours(1) });
                }

                render.SetResult(rendered);
            }
            catch (Exception ex)
            {
                render.SetException(ex);
            }
            finally
            {
                // After the cache holds the render: a request that misses both starts the next one.
                renders.TryRemove(KeyValuePair.Create(key, render.Task));
            }
        }
    }

    /// <summary>
    /// Asks for the feed to be rendered now, in the background, so that its first GET finds the render cached (or joins it
    /// while it runs: <see cref="RenderOnceAsync"/>) instead of waiting for it. A feed is made to be subscribed to, so its
    /// first GET usually follows within minutes, and for a 5,000-event programme feed the render is 2 seconds of CPU
    /// (docs/performance.md). One render ahead at a time, so a batch of new feeds takes one core at most; past
    /// <see cref="RenderAheadQueue"/> waiting, a feed is rendered by its first GET as before. False when not queued.
    /// </summary>
    public bool RenderAhead(Guid feedId, string baseUrl)
    {
        if (!settings.Value.RenderAhead)
        {
            return false;
        }

        Interlocked.Increment(ref aheadPending);
        if (ahead.Writer.TryWrite((feedId, baseUrl)))
        {
            return true;
        }

        Interlocked.Decrement(ref aheadPending);
        return false;
    }

    /// <summary>Feeds queued for <see cref="RenderAhead"/> and not done yet.</summary>
    private long aheadPending;

    /// <summary>Feeds waiting to be rendered ahead, at most (a staff member making a feed for each of 100 delegates).</summary>
    private const int RenderAheadQueue = 1000;

    private readonly Channel<(Guid FeedId, string BaseUrl)> ahead = Channel.CreateBounded<(Guid FeedId, string BaseUrl)>(
        new BoundedChannelOptions(RenderAheadQueue) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Renders the feeds <see cref="RenderAhead"/> queued, one at a time, until <paramref name="stopping"/>.</summary>
    internal async Task RenderAheadAsync(CancellationToken stopping)
    {
        await foreach (var (feedId, baseUrl) in ahead.Reader.ReadAllAsync(stopping))
        {
            try
            {
                await RenderAheadAsync(feedId, baseUrl, stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // The first GET renders it instead (and answers the error, if it persists).
                logger.LogWarning(ex, "Feed {FeedId} could not be rendered ahead of its first GET.", feedId);
            }
            finally
            {
                Interlocked.Decrement(ref aheadPending);
            }
        }
    }

    /// <summary>The feeds of <paramref name="feeds"/> that are not revoked, each with its programme's change stamp, in one read.</summary>
    private static IQueryable<FeedWithStamp> LiveWithStamps(PlannerDbContext db, IQueryable<FeedRecord> feeds) =>
        from f in feeds.AsNoTracking()
        where f.RevokedAt == null
        join p in db.ProgrammeStamps() on f.ProgrammeId equals p.ProgrammeId
        select new FeedWithStamp(f, p.Stamp);

    private sealed record FeedWithStamp(FeedRecord Feed, long Stamp);

    private async Task RenderAheadAsync(Guid feedId, string baseUrl, CancellationToken ct)
    {
        FeedRecord feed;
        long stamp;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var found = await LiveWithStamps(db, db.Feeds.Where(f => f.Id == feedId)).SingleOrDefaultAsync(ct);
            if (found is null)
            {
                return;
            }

            (feed, stamp) = (found.Feed, found.Stamp);
        }

        // The key a GET now computes: its render is this one, cached.
        var now = clock.GetCurrentInstant();
        var key = new RenderKey(feed.Id, stamp, now.InUtc().Date, baseUrl);
        if (!cache.TryGetValue(key, out _))
        {
            await RenderOnceAsync(key, feed, now).WaitAsync(ct);
        }
    }

    /// <summary>Whether a render is running now: for tests.</summary>
    internal bool Rendering => Interlocked.Read(ref aheadPending) > 0 || !renders.IsEmpty;

    /// <summary>How many renders this service has started: for tests.</summary>
    internal long RendersStarted => Interlocked.Read(ref rendersStarted);

    private long rendersStarted;

    /// <summary>
    /// What a render depends on: the feed, its programme's change stamp, the day (cancelled engagements drop out by day)
    /// and the base URL its event links start with.
    /// </summary>
    private readonly record struct RenderKey(Guid FeedId, long Stamp, LocalDate Day, string BaseUrl);

    /// <summary>The renders running now, one per key (<see cref="RenderOnceAsync"/>).</summary>
    private readonly ConcurrentDictionary<RenderKey, Task<(byte[] Body, string ETag)?>> renders = new();

    /// <summary>A single engagement as an .ics download ("add to my calendar"), with every attendee.</summary>
    public async Task<byte[]?> EngagementIcsAsync(Guid engagementId, string baseUrl, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var engagement = await db.Engagements.AsNoTracking().SingleOrDefaultAsync(e => e.Id == engagementId, ct);
        if (engagement is null)
        {
            return null;
        }

        var feed = new FeedRecord
        {
            Scope = FeedScopes.Engagement, SubjectId = engagementId, ProgrammeId = engagement.ProgrammeId, Detail = "full",
            TokenHash = [], CreatedBy = "download",
        };
        var calendar = await BuildAsync(db, feed, baseUrl, clock.GetCurrentInstant(), ct);
        return calendar is null ? null : FeedRenderer.RenderUtf8(calendar);
    }

    private async Task<FeedCalendar?> BuildAsync(PlannerDbContext db, FeedRecord feed, string baseUrl, Instant now, CancellationToken ct)
    {
        // The programme and the feed's subject in one read: a render after a change is a handful of round trips, and
        // each one costs most on a busy machine.
        if (await HeadAsync(db, feed, ct) is not { } head)
        {
            return null;
        }

        var language = FeedLanguages.Parse(feed.Language);
        // The calendar's name in the feed's language, as its events' titles are.
        var programmeName = FeedRenderer.InLanguage(head.ProgrammeName, head.ProgrammeNameZh, language, " / ");
        var name = feed.Scope switch
        {
            FeedScopes.Person or FeedScopes.Delegation => $"{head.SubjectName}: {programmeName}",
            FeedScopes.Programme => programmeName,
            _ => FeedRenderer.InLanguage(head.SubjectName!, head.SubjectNameZh, language, " / "),
        };
        var showAll = ShowsAllAttendees(feed);
        var events = await FeedEventsAsync(db, feed, now, ct);

        return new FeedCalendar(
            name, head.TimeZone, events,
            feed.Detail == "busy" ? FeedDetail.Busy : FeedDetail.Full,
            ShowAllAttendees: showAll,
            OwnerPersonId: feed.Scope == FeedScopes.Person ? feed.SubjectId : null,
            OrganizerName: showAll ? settings.Value.OrganizerName : null,
            OrganizerEmail: showAll ? settings.Value.OrganizerEmail : null,
            Duration.FromMinutes(settings.Value.RefreshMinutes),
            id => $"{baseUrl}/api/engagements/{id}",
            feed.Scope == FeedScopes.Person ? await StaysAsync(db, feed.SubjectId, ct) : null,
            language);
    }

    /// <summary>Organiser feeds (programme, engagement) list everyone; a person's feed only the person; a delegation's feed nobody.</summary>
    private static bool ShowsAllAttendees(FeedRecord feed) => feed.Scope is FeedScopes.Programme or FeedScopes.Engagement;

    /// <summary>The events of the feed's scope, with the attendee lines it shows.</summary>
    private static Task<List<FeedEvent>> FeedEventsAsync(PlannerDbContext db, FeedRecord feed, Instant now, CancellationToken ct)
    {
        const EngagementStatus cancelled = EngagementStatus.Cancelled;
        var retainedSince = now - CancelledRetention;
        var engagements = db.Engagements.AsNoTracking();
        engagements = feed.Scope switch
        {
            FeedScopes.Person => engagements.Where(e => db.Attendees.Any(a => a.EngagementId == e.Id && a.PersonId == feed.SubjectId && a.Response != Response.Declined)),
            FeedScopes.Delegation => engagements.Where(e => db.Attendees.Any(a => a.EngagementId == e.Id && a.Response != Response.Declined
                && db.People.Any(p => p.Id == a.PersonId && p.DelegationId == feed.SubjectId))),
            FeedScopes.Programme => engagements.Where(e => e.ProgrammeId == feed.ProgrammeId),
            _ => engagements.Where(e => e.Id == feed.SubjectId),
        };

        // A cancelled engagement stays (as CANCELLED) for 30 days so clients remove it, then leaves the feed.
        if (feed.Scope != FeedScopes.Engagement)
        {
            engagements = engagements.Where(e => e.Status != cancelled || e.CancelledAt == null || e.CancelledAt > retainedSince);
        }

        return EventsAsync(
            db, engagements, ShowsAllAttendees(feed), feed.Scope == FeedScopes.Person ? feed.SubjectId : Guid.Empty,
            feed.Scope == FeedScopes.Programme ? feed.ProgrammeId : null, ct);
    }

    /// <summary>
    /// Runs each query of a feed's read once for feeds that match nothing (a token no feed has, each scope's head and
    /// events for a subject that does not exist), so that EF Core has translated and compiled them before the first real
    /// feed after a start needs them (<see cref="FeedWarmUp"/>). Reads only.
    /// </summary>
    internal async Task WarmUpQueriesAsync(CancellationToken ct)
    {
        await GetAsync(UrlTokens.NewToken(), "http://warm-up.invalid", null, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var scope in (string[])[FeedScopes.Person, FeedScopes.Delegation, FeedScopes.Programme, FeedScopes.Engagement])
        {
            var feed = new FeedRecord { Scope = scope, Detail = "full", TokenHash = [], CreatedBy = "warm-up" };
            await HeadAsync(db, feed, ct);
            await FeedEventsAsync(db, feed, clock.GetCurrentInstant(), ct);
        }

        // The attendees' grouping too, on made-up rows: an organiser feed's first run of it had its dictionaries' and
        // sort's code unoptimised for 200,000 rows.
        var people = Enumerable.Range(0, 100).Select(i => new FeedPersonRow(Guid.NewGuid(), $"Person {i}", null, $"p{i}@warm-up.invalid", i % 7))
            .ToDictionary(p => p.Id);
        var engagements = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
        var rows = people.Keys.SelectMany(p => engagements.Take(40).Select(e => new FeedAttendeeRow(e, p, AttendeeRole.Required, Response.Accepted))).ToList();
        for (var i = 0; i < 30; i++)
        {
            PerEngagement(rows, people);
        }
    }

    /// <summary>The programme's name and zone and the subject's name; null when either is gone.</summary>
    private static Task<FeedHead?> HeadAsync(PlannerDbContext db, FeedRecord feed, CancellationToken ct)
    {
        var programmes = db.Programmes.AsNoTracking().Where(g => g.Id == feed.ProgrammeId);
        var heads = feed.Scope switch
        {
            FeedScopes.Person =>
                from g in programmes
                join p in db.People on g.Id equals p.ProgrammeId
                where p.Id == feed.SubjectId
                select new FeedHead(g.Name, g.NameZh, g.TimeZone, p.FullName, null),
            FeedScopes.Delegation =>
                from g in programmes
                join d in db.Delegations on g.Id equals d.ProgrammeId
                where d.Id == feed.SubjectId
                select new FeedHead(g.Name, g.NameZh, g.TimeZone, d.Name, null),
            FeedScopes.Programme =>
                from g in programmes
                select new FeedHead(g.Name, g.NameZh, g.TimeZone, null, null),
            _ =>
                from g in programmes
                join e in db.Engagements on g.Id equals e.ProgrammeId
                where e.Id == feed.SubjectId
                select new FeedHead(g.Name, g.NameZh, g.TimeZone, e.Title, e.TitleZh),
        };
        return heads.SingleOrDefaultAsync(ct);
    }

    private sealed record FeedHead(string ProgrammeName, string? ProgrammeNameZh, string TimeZone, string? SubjectName, string? SubjectNameZh);

    /// <summary>A person's hotel stays as their feed shows them: all-day events on the hotel's dates.</summary>
    private static async Task<List<FeedStay>> StaysAsync(PlannerDbContext db, Guid personId, CancellationToken ct) =>
        [.. (await ItineraryRows.StaysAsync(db, personId, ct)).Select(s => new FeedStay(
            s.Stay.Id, s.Stay.Sequence, Place(s.Hotel), s.Stay.CheckIn, s.Stay.CheckOut, RoomTypes.ToWire(s.Stay.RoomType), s.SharingWithName,
            s.Stay.Confirmation, s.Stay.CreatedAt, s.Stay.UpdatedAt))];

    /// <summary>
    /// The engagements as a person's feed shows them, with only that person's attendee line: what a notification's
    /// calendar objects carry, so that their UID and SEQUENCE are the feed's.
    /// </summary>
    public static async Task<Dictionary<Guid, FeedEvent>> PersonEventsAsync(
        PlannerDbContext db, Guid personId, IReadOnlyCollection<Guid> engagementIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var engagements = db.Engagements.AsNoTracking().Where(e => engagementIds.Contains(e.Id));
        return (await EventsAsync(db, engagements, showAll: false, personId, programmeWide: null, ct)).ToDictionary(e => e.EngagementId);
    }

    /// <summary>
    /// Feed events for <paramref name="engagements"/>, read with their venues: every attendee when
    /// <paramref name="showAll"/>, else only <paramref name="owner"/> (if any). <paramref name="programmeWide"/>: the
    /// programme, when the engagements are all of its own (a programme feed).
    /// </summary>
    /// <remarks>
    /// Only the columns a feed shows are read. A person's own attendee line comes in the engagements' query. Every
    /// attendee (an organiser feed: 200,000 of them in the scale test's programme) is read narrow, as (engagement,
    /// person, role, response), and each person once, then ordered here: joining the people into the attendee rows
    /// and ordering them in PostgreSQL took most of a cold programme feed's read (docs/performance.md).
    /// </remarks>
    private static async Task<List<FeedEvent>> EventsAsync(
        PlannerDbContext db, IQueryable<EngagementRecord> engagements, bool showAll, Guid owner, Guid? programmeWide, CancellationToken ct)
    {
        var ownLines =
            from a in db.Attendees
            where a.PersonId == owner
            join p in db.People on a.PersonId equals p.Id
            select new { a.EngagementId, p.FullName, p.LocalName, p.Email, a.Role, a.Response };
        var rows = await (
            from e in engagements
            join fromVenue in db.Venues on e.FromVenueId equals fromVenue.Id
            join toVenue in db.Venues on e.ToVenueId equals toVenue.Id
            join line in ownLines on e.Id equals line.EngagementId into own
            from line in own.DefaultIfEmpty()
            select new EventRow(
                e.Id, e.Sequence, e.Status, e.Kind, e.Title, e.TitleZh, e.StartLocal, e.StartZone, e.EndLocal, e.EndZone, e.CreatedAt, e.UpdatedAt,
                e.Description, e.DescriptionZh, e.Host, e.TravelMode, e.TravelReference, e.Areas, e.ReviewStatus,
                e.FromVenueId, fromVenue.Name, fromVenue.LocalName, fromVenue.Address, fromVenue.City, fromVenue.Country, fromVenue.Latitude, fromVenue.Longitude,
                e.ToVenueId, toVenue.Name, toVenue.LocalName, toVenue.Address, toVenue.City, toVenue.Country, toVenue.Latitude, toVenue.Longitude,
                line.FullName, line.LocalName, line.Email, (AttendeeRole?)line.Role, (Response?)line.Response))
            .AsNoTracking().ToListAsync(ct);
        var everyone = showAll ? await AttendeesAsync(db, [.. rows.Select(r => r.Id)], programmeWide, ct) : null;

        // A venue is on many engagements: one FeedPlace each, which the render cache then compares by reference.
        var places = new Dictionary<Guid, FeedPlace>();
        return [.. rows.Select(r => new FeedEvent(
            r.Id, r.Sequence, EngagementStatuses.ToWire(r.Status), EngagementKinds.ToWire(r.Kind), r.Title, r.StartLocal, r.StartZone, r.EndLocal, r.EndZone, r.CreatedAt, r.UpdatedAt,
            r.Description, r.Host, TravelModes.ToWire(r.TravelMode), r.TravelReference,
            Place(r.FromVenueId, r.FromName, r.FromLocalName, r.FromAddress, r.FromCity, r.FromCountry, r.FromLatitude, r.FromLongitude),
            r.FromVenueId == r.ToVenueId ? null : Place(r.ToVenueId, r.ToName, r.ToLocalName, r.ToAddress, r.ToCity, r.ToCountry, r.ToLatitude, r.ToLongitude),
            r.Areas,
            everyone is not null ? everyone.GetValueOrDefault(r.Id, [])
            : r is { OwnRole: { } role, OwnResponse: { } response }
                ? [new FeedAttendee(owner, r.OwnFullName!, r.OwnLocalName, r.OwnEmail, AttendeeRoles.ToWire(role), Responses.ToWire(response))]
                : [],
            ReviewPending: r.ReviewStatus is ReviewStatus.Required or ReviewStatus.Rejected)
        {
            TitleZh = r.TitleZh,
            DescriptionZh = r.DescriptionZh,
        })];

        FeedPlace Place(Guid id, string name, string? localName, string address, string city, string country, double latitude, double longitude)
        {
            if (!places.TryGetValue(id, out var place))
            {
                place = new FeedPlace(name, localName, address, city, country, latitude, longitude);
                places[id] = place;
            }

            return place;
        }
    }

    /// <summary>
    /// Every attendee of the engagements per engagement, in protocol order and then by person id: protocol
    /// order ties across delegations (each has its own 1, 2, 3...), and without the id a feed's bytes and ETag changed
    /// from one render to the next. One <see cref="FeedAttendee"/> per person and response, shared by their events.
    /// </summary>
    private static async Task<Dictionary<Guid, FeedAttendee[]>> AttendeesAsync(PlannerDbContext db, Guid[] engagementIds, Guid? programmeWide, CancellationToken ct)
    {
        var (rows, people) = await FeedAttendeeRows.ReadAsync(db, engagementIds, programmeWide, ct);
        return PerEngagement(rows, people);
    }

    private static Dictionary<Guid, FeedAttendee[]> PerEngagement(List<FeedAttendeeRow> rows, Dictionary<Guid, FeedPersonRow> people)
    {
        var lines = new Dictionary<(Guid, AttendeeRole, Response), FeedAttendee>();
        var byEngagement = new Dictionary<Guid, List<(int ProtocolOrder, Guid PersonId, FeedAttendee Line)>>();
        foreach (var a in rows)
        {
            // Two reads, no snapshot: someone removed from the programme between them has no line.
            if (!people.TryGetValue(a.PersonId, out var person))
            {
                continue;
            }

            if (!lines.TryGetValue((a.PersonId, a.Role, a.Response), out var line))
            {
                line = new FeedAttendee(a.PersonId, person.FullName, person.LocalName, person.Email, AttendeeRoles.ToWire(a.Role), Responses.ToWire(a.Response));
                lines[(a.PersonId, a.Role, a.Response)] = line;
            }

            if (!byEngagement.TryGetValue(a.EngagementId, out var attendees))
            {
                attendees = [];
                byEngagement[a.EngagementId] = attendees;
            }

            attendees.Add((person.ProtocolOrder, a.PersonId, line));
        }

        var ordered = new Dictionary<Guid, FeedAttendee[]>(byEngagement.Count);
        foreach (var (engagementId, attendees) in byEngagement)
        {
            // Guid.CompareTo orders as PostgreSQL orders uuids (the hex digits as written), so feeds keep the bytes they
            // had when the database sorted them.
            attendees.Sort(static (x, y) => x.ProtocolOrder != y.ProtocolOrder ? x.ProtocolOrder.CompareTo(y.ProtocolOrder) : x.PersonId.CompareTo(y.PersonId));
            ordered[engagementId] = [.. attendees.Select(a => a.Line)];
        }

        return ordered;
    }

    /// <summary>The columns of an engagement, its venues and its feed's owner's attendee line that a feed shows.</summary>
    private sealed record EventRow(
        Guid Id, int Sequence, EngagementStatus Status, EngagementKind Kind, string Title, string? TitleZh,
        LocalDateTime StartLocal, string StartZone, LocalDateTime EndLocal, string EndZone, Instant CreatedAt, Instant UpdatedAt,
        string? Description, string? DescriptionZh, string? Host, TravelMode? TravelMode, string? TravelReference, List<string> Areas, ReviewStatus ReviewStatus,
        Guid FromVenueId, string FromName, string? FromLocalName, string FromAddress, string FromCity, string FromCountry, double FromLatitude, double FromLongitude,
        Guid ToVenueId, string ToName, string? ToLocalName, string ToAddress, string ToCity, string ToCountry, double ToLatitude, double ToLongitude,
        string? OwnFullName, string? OwnLocalName, string? OwnEmail, AttendeeRole? OwnRole, Response? OwnResponse);

    /// <summary>
    /// The last answer for a token; <c>WritesVersion</c> is <see cref="LocalWrites.Version"/> as it was before the answer was
    /// read, <c>Gone</c> set once this silo has learnt the feed was revoked or deleted.
    /// </summary>
    private sealed record Served(
        FeedContent Content, Guid ProgrammeId, long WritesVersion, long CheckedAt, LocalDate Day, string BaseUrl, string? UserAgent, Instant FetchRecordedAt, bool Gone = false);

    private static FeedPlace Place(VenueRecord v) => new(v.Name, v.LocalName, v.Address, v.City, v.Country, v.Latitude, v.Longitude);
}

/// <summary>The wire names of a feed's language: <c>en</c>, <c>zh</c>, <c>both</c>.</summary>
public static class FeedLanguages
{
    public static readonly string[] WireNames = ["en", "zh", "both"];

    public static FeedLanguage Parse(string? wire) => wire switch
    {
        "zh" => FeedLanguage.Chinese,
        "both" => FeedLanguage.Both,
        _ => FeedLanguage.English,
    };
}

public static class FeedScopes
{
    public const string Person = "person";
    public const string Delegation = "delegation";
    public const string Programme = "programme";
    public const string Engagement = "engagement";
}
