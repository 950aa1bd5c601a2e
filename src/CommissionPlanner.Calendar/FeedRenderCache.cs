using System.Collections.Concurrent;
using NodaTime;

namespace CommissionPlanner.Calendar;

/// <summary>
/// What <see cref="FeedRenderer"/> has serialized before, so that a re-render after a change serializes only what
/// changed: each event's text per (engagement, detail tier, viewer), each zone's VTIMEZONE per range, and each
/// calendar's header. An event entry keeps the exact values it was rendered from (the event as the tier and the
/// viewer see it, its link and the organiser) and is used only when the new values are equal, so a stale text can
/// never be served: a change of sequence, time, status, title, venue or of the viewer's attendee line re-serializes
/// that one event. Thread-safe; bounded by <see cref="MaxBytes"/> (when full it starts again empty).
/// </summary>
public sealed class FeedRenderCache(long maxBytes = FeedRenderCache.DefaultMaxBytes)
{
    /// <summary>64 MB of serialized text: some 60,000 events.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>The viewer key of organiser feeds, which show every attendee.</summary>
    internal static readonly Guid EveryAttendee = Guid.AllBitsSet;

    private readonly ConcurrentDictionary<EventKey, EventEntry> events = new();
    private readonly ConcurrentDictionary<ZoneKey, byte[]> zones = new();
    private readonly ConcurrentDictionary<HeaderKey, (byte[] Head, byte[] Tail)> headers = new();
    private long bytes;

    /// <summary>The process-wide cache that <see cref="FeedRenderer.RenderUtf8(FeedCalendar)"/> uses.</summary>
    public static FeedRenderCache Shared { get; } = new();

    public long MaxBytes { get; } = maxBytes;

    /// <summary>Serialized text held now, in bytes.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>How many event texts were serialized (cache misses) since the cache was made: for tests and benchmarks.</summary>
    public long EventsSerialized => Interlocked.Read(ref eventsSerialized);

    private long eventsSerialized;

    internal readonly record struct EventKey(Guid EngagementId, FeedDetail Detail, Guid Viewer, FeedLanguage Language = FeedLanguage.English);

    /// <summary>An event's text and everything it was rendered from.</summary>
    internal sealed record EventEntry(FeedEvent View, string? Url, string? OrganizerName, string? OrganizerEmail, byte[] Utf8);

    internal readonly record struct ZoneKey(string TzId, Instant Anchor, int EndYear);

    internal readonly record struct HeaderKey(string Name, string DefaultTimeZone, Duration RefreshInterval);

    internal byte[] Event(EventKey key, FeedEvent view, string? url, string? organizerName, string? organizerEmail, Func<byte[]> serialize)
    {
        if (events.TryGetValue(key, out var hit) && SameView(hit.View, view) && hit.Url == url
            && hit.OrganizerName == organizerName && hit.OrganizerEmail == organizerEmail)
        {
            return hit.Utf8;
        }

        var utf8 = serialize();
        Interlocked.Increment(ref eventsSerialized);
        var replaced = events.TryGetValue(key, out var old) ? old.Utf8.Length : 0;
        events[key] = new EventEntry(view, url, organizerName, organizerEmail, utf8);
        Account(utf8.Length - replaced);
        return utf8;
    }

    internal byte[] Zone(ZoneKey key, Func<byte[]> serialize)
    {
        if (zones.TryGetValue(key, out var hit))
        {
            return hit;
        }

        var utf8 = serialize();
        zones[key] = utf8;
        Account(utf8.Length);
        return utf8;
    }

    internal (byte[] Head, byte[] Tail) Header(HeaderKey key, Func<(byte[] Head, byte[] Tail)> serialize)
    {
        if (headers.TryGetValue(key, out var hit))
        {
            return hit;
        }

        var header = serialize();
        headers[key] = header;
        Account(header.Head.Length + header.Tail.Length);
        return header;
    }

    /// <summary>Empties the cache.</summary>
    public void Clear()
    {
        events.Clear();
        zones.Clear();
        headers.Clear();
        Interlocked.Exchange(ref bytes, 0);
    }

    private void Account(long delta)
    {
        if (Interlocked.Add(ref bytes, delta) > MaxBytes)
        {
            Clear();
        }
    }

    /// <summary>
    /// Equal values: the record's own equality for every scalar field (with the lists swapped in, as a record compares
    /// lists by reference), then the lists item by item.
    /// </summary>
    internal static bool SameView(FeedEvent a, FeedEvent b) =>
        ReferenceEquals(a, b)
        || ((a with { Areas = b.Areas, Attendees = b.Attendees }) == b
            && a.Areas.SequenceEqual(b.Areas, StringComparer.Ordinal)
            && a.Attendees.SequenceEqual(b.Attendees));
}
