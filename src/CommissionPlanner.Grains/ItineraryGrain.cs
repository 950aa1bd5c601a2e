using Orleans.Concurrency;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CommissionPlanner.Grains;

/// <summary>
/// One person's itinerary in memory: their row and their bookings, each with the engagement, venues and place on the
/// list that the itinerary shows, plus the holds of bookings approved but not yet committed. Loaded from PostgreSQL on
/// first use; afterwards every writer tells it what it committed (<see cref="Booked"/>, <see cref="Refresh"/>,
/// <see cref="Revalidate"/>), and it reads again only what changed. Booking checks and itinerary reads are answered
/// from this state, without a query.
/// </summary>
/// <remarks>
/// PostgreSQL stays the truth. Every booking carries its engagement's revisions, which the database's own triggers raise
/// on any change to the engagement or its venues, and to its list, whoever writes them. So a re-read never makes the state
/// older (a late or repeated refresh keeps what is newer), and a refresh that never arrived (its sender's silo died
/// between commit and call) is caught by comparing revisions with the database's: the first request more than
/// <see cref="ItineraryOptions.ValidateAfterSeconds"/> after the last comparison asks for one, which
/// <see cref="ItineraryRevisionChecks"/> reads for many grains at once and sends back (<see cref="Compare"/>); requests
/// meanwhile are answered from memory. A booking check that still misses a clash meanwhile meets the database's
/// exclusion constraint on overlapping bookings.
/// </remarks>
internal sealed class ItineraryGrain(
    IDbContextFactory<PlannerDbContext> dbFactory, IOptions<TravelOptions> travel, IOptions<ItineraryOptions> options, IClock clock,
    IItineraryRenderer renderer, ItineraryRevisionChecks checks)
    : Grain, IItineraryGrain
{
    /// <summary>A hold whose engagement grain never came back (its silo died) lapses after this.</summary>
    private static readonly Duration HoldLifetime = Duration.FromSeconds(30);

    /// <summary>A comparison asked for and not answered by then (the read failed, or its answer was lost) is asked again.</summary>
    private static readonly Duration CheckRetryAfter = Duration.FromSeconds(5);

    private readonly Dictionary<Guid, (BookedSlot Slot, Instant Until, Guid HoldId)> holds = [];

    /// <summary>Null until first loaded: notifications that arrive before then have nothing to update.</summary>
    private Dictionary<Guid, ItineraryBooking>? bookings;

    private PersonRecord? person;

    /// <summary>The person's hotel stays, read with the person (a stay's change moves the person's revision).</summary>
    private List<ItineraryStay> stays = [];

    /// <summary>The venues of the bookings held, one instance each (<see cref="Shared"/>).</summary>
    private readonly Dictionary<Guid, VenueRecord> venues = [];

    /// <summary>Everything committed before this instant is in what is held (the last comparison's read time).</summary>
    private Instant validatedAt;

    /// <summary>When a comparison was last asked of <see cref="ItineraryRevisionChecks"/> and not yet answered.</summary>
    private Instant? checkAskedAt;

    /// <summary>The rendered JSON per <see cref="ItineraryViewer"/>, until the state changes.</summary>
    private readonly byte[]?[] views = new byte[]?[Enum.GetValues<ItineraryViewer>().Length];

    private Guid PersonId => this.GetPrimaryKey();

    /// <summary>Whether the person's languages are recorded and they are no interpreter: then they can have gaps (InterpreterCoverage).</summary>
    private bool Speaks => ItineraryRows.Speaks(person);

    public async Task<Immutable<byte[]?>> View(ItineraryViewer viewer)
    {
        await EnsureCurrentAsync();
        if (person is null)
        {
            return new Immutable<byte[]?>(null);
        }

        await SettleHoldsAsync();

        // Rendered once per change and never written to afterwards: callers share the one array.
        return new Immutable<byte[]?>(views[(int)viewer] ??= renderer.Render(person, bookings!.Values, stays, viewer));
    }

    /// <summary>
    /// A booking approved here is committed by its engagement grain, which then tells this grain with a one-way call
    /// (<see cref="Booked"/>); messages from different senders are not ordered, so a view asked for by the caller who was
    /// just answered 201 may arrive first (seen on a loaded two-silo cluster, TwoHostDoubleBookingTests). While a hold
    /// is outstanding for an engagement not held as booked, the view reads that booking from the database: committed, it
    /// shows. Holds last one request, so this is rare and small.
    /// </summary>
    private async Task SettleHoldsAsync()
    {
        var now = clock.GetCurrentInstant();
        var pending = holds.Where(h => h.Value.Until >= now && !bookings!.ContainsKey(h.Key)).Select(h => h.Key).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        foreach (var booking in await ItineraryRows.BookingsAsync(db, PersonId, pending, Speaks, CancellationToken.None))
        {
            Keep(booking);
        }
    }

    public async Task<ReservationResult> Reserve(Immutable<BookedSlot> held)
    {
        var slot = held.Value;
        var clashes = await ClashesForAsync(slot);
        if (person is null)
        {
            return new ReservationResult(false, []);
        }

        var who = new BookedPerson(person.Id, person.ProgrammeId, person.DelegationId, person.FullName, person.LocalName, person.Organisation, person.Title,
            person.Languages, person.Interprets);
        if (clashes.Count > 0)
        {
            return new ReservationResult(false, clashes, Person: who);
        }

        var holdId = Guid.NewGuid();
        holds[slot.EngagementId] = (slot, clock.GetCurrentInstant() + HoldLifetime, holdId);
        return new ReservationResult(true, [], holdId, who);
    }

    public Task<IReadOnlyList<ClashInfo>> Evaluate(Immutable<BookedSlot> slot) => ClashesForAsync(slot.Value);

    public Task Release(Guid engagementId, Guid holdId)
    {
        DropHold(engagementId, holdId);
        return Task.CompletedTask;
    }

    public Task Booked(Guid holdId, Immutable<ItineraryBooking> handedOver)
    {
        var booking = handedOver.Value;
        ArgumentNullException.ThrowIfNull(booking);
        if (bookings is not null)
        {
            Keep(booking);
        }

        // Kept before the hold goes, in this one turn: no booking check sees neither the hold nor the booking.
        DropHold(booking.EngagementId, holdId);
        return Task.CompletedTask;
    }

    public async Task Refresh(Guid engagementId)
    {
        if (bookings is null)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var read = await ItineraryRows.BookingsAsync(db, PersonId, [engagementId], Speaks, CancellationToken.None);
        if (read.Count == 0)
        {
            Changed(bookings.Remove(engagementId));
        }
        else
        {
            Keep(read[0]);
        }
    }

    public async Task Revalidate()
    {
        if (bookings is not null)
        {
            // Asked by a writer whose change touched many bookings: compared now, not batched, so the change shows at once.
            var at = clock.GetCurrentInstant();
            ItineraryRevisions read;
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                read = (await ItineraryRows.RevisionsAsync(db, [PersonId], at, CancellationToken.None))[PersonId];
            }

            await CompareAsync(read);
        }
    }

    public async Task Compare(Immutable<ItineraryRevisions> revisions)
    {
        if (bookings is not null && revisions.Value.ReadAt > validatedAt)
        {
            await CompareAsync(revisions.Value);
        }
    }

    /// <summary>
    /// Loads the itinerary on first use. Afterwards what is held is answered at once; when the last comparison with the
    /// database is older than the setting, one is asked for (answered by <see cref="Compare"/>), so a change whose
    /// refresh was lost shows within about that long, and no request waits for the comparison.
    /// </summary>
    private async Task EnsureCurrentAsync()
    {
        if (bookings is null)
        {
            await LoadAsync();
            return;
        }

        var now = clock.GetCurrentInstant();
        if (now - validatedAt >= Duration.FromSeconds(options.Value.ValidateAfterSeconds)
            && (checkAskedAt is not { } asked || now - asked >= CheckRetryAfter))
        {
            checkAskedAt = now;
            checks.Request(PersonId);
        }
    }

    private async Task LoadAsync()
    {
        var at = clock.GetCurrentInstant();
        await using var db = await dbFactory.CreateDbContextAsync();
        person = await ItineraryRows.PersonAsync(db, PersonId, CancellationToken.None);
        stays = person is null ? [] : await ItineraryRows.StaysAsync(db, PersonId, CancellationToken.None);
        var read = person is null ? [] : await ItineraryRows.BookingsAsync(db, PersonId, null, Speaks, CancellationToken.None);
        bookings = read.Select(Compact).ToDictionary(b => b.EngagementId);
        validatedAt = at;
        Changed(true);
    }

    /// <summary>
    /// Compares every revision held with <paramref name="read"/>, the database's, and reads again (now, in this turn) only
    /// the bookings and the person that moved. A booking held but missing from the read is read again rather than
    /// dropped: it may have been booked after the read was taken.
    /// </summary>
    private async Task CompareAsync(ItineraryRevisions read)
    {
        var moved = bookings!.Keys.Where(id => !read.Bookings.ContainsKey(id)).ToList();
        foreach (var (engagementId, revision) in read.Bookings)
        {
            if (!bookings.TryGetValue(engagementId, out var held) || held.IsStale(revision, Speaks))
            {
                moved.Add(engagementId);
            }
            else
            {
                // Only others' replies moved, which cannot move this person's place: what is held is current.
                held.Engagement.ListRevision = Math.Max(held.Engagement.ListRevision, revision.ListRevision);
            }
        }

        var personMoved = read.PersonRevision != person?.Revision;
        if (personMoved || moved.Count > 0)
        {
            // Usually nothing moved (every change was told), so usually no context is taken at all.
            await using var db = await dbFactory.CreateDbContextAsync();
            if (personMoved)
            {
                var before = person;
                person = await ItineraryRows.PersonAsync(db, PersonId, CancellationToken.None);
                stays = person is null ? [] : await ItineraryRows.StaysAsync(db, PersonId, CancellationToken.None);
                Changed(true);
                if (person is not null && before is not null
                    && (!person.Languages.SequenceEqual(before.Languages) || !person.Interprets.SequenceEqual(before.Interprets)))
                {
                    // Whom they can follow at each engagement may have changed with their own languages.
                    moved = [.. bookings.Keys.Union(moved)];
                }
            }

            var current = moved.Count == 0 ? [] : await ItineraryRows.BookingsAsync(db, PersonId, moved, Speaks, CancellationToken.None);
            foreach (var booking in current)
            {
                Keep(booking);
            }

            foreach (var gone in moved.Except(current.Select(b => b.EngagementId)))
            {
                Changed(bookings.Remove(gone));
            }
        }

        validatedAt = read.ReadAt;
        checkAskedAt = null;
    }

    /// <summary>Keeps a booking as read, unless what is held is newer (a late re-read must not win).</summary>
    private void Keep(ItineraryBooking booking)
    {
        if (bookings!.TryGetValue(booking.EngagementId, out var held) && !booking.IsNoOlderThan(held))
        {
            return;
        }

        bookings[booking.EngagementId] = Compact(booking);
        Changed(true);
    }

    /// <summary>
    /// What is held of a booking: only what the itinerary shows and the checks use. Ten thousand people's itineraries
    /// share one silo (deploy/perf/memory-test.sh), so a description of up to 4,000 characters, the reviewed areas and the
    /// many copies of a venue (one per booking there, and each name and zone) are not kept per booking.
    /// </summary>
    private ItineraryBooking Compact(ItineraryBooking booking)
    {
        var engagement = booking.Engagement;
        engagement.Description = null;
        engagement.DescriptionZh = null;
        engagement.Areas = [];
        engagement.ExternalId = null;
        engagement.StartZone = string.Intern(engagement.StartZone);
        engagement.EndZone = string.Intern(engagement.EndZone);
        return booking with { From = Shared(booking.From), To = Shared(booking.To) };
    }

    /// <summary>One instance per venue and version among this person's bookings.</summary>
    private VenueRecord Shared(VenueRecord venue)
    {
        if (venues.TryGetValue(venue.Id, out var held) && held.Version == venue.Version)
        {
            return held;
        }

        venues[venue.Id] = venue;
        return venue;
    }

    private void Changed(bool changed)
    {
        if (changed)
        {
            Array.Clear(views);
        }
    }

    private void DropHold(Guid engagementId, Guid holdId)
    {
        if (holds.TryGetValue(engagementId, out var hold) && hold.HoldId == holdId)
        {
            holds.Remove(engagementId);
        }
    }

    private async Task<IReadOnlyList<ClashInfo>> ClashesForAsync(BookedSlot slot)
    {
        await EnsureCurrentAsync();
        var now = clock.GetCurrentInstant();
        foreach (var lapsed in holds.Where(h => h.Value.Until < now).Select(h => h.Key).ToList())
        {
            holds.Remove(lapsed);
        }

        // A booking's hold stands in for its committed row until Booked reads the row; holds are few, and ClashesWith
        // finds the relevant ones itself. The slot being checked is not its own clash.
        var existing = bookings!.Values
            .Where(b => b.HoldsTime && !holds.ContainsKey(b.EngagementId))
            .Select(b => b.Slot)
            .Concat(holds.Values.Select(h => h.Slot))
            .ToList();

        return ItineraryRules.ClashesWith(existing, slot, travel.Value)
            .Select(c => new ClashInfo(PersonId, ClashKinds.ToWire(c.Kind), c.EngagementIds, c.Detail, c.MinutesShort, c.TimesOverlap))
            .ToList();
    }
}

/// <summary>Settings under <c>Planner:Itineraries</c>.</summary>
public sealed class ItineraryOptions
{
    public const string Section = "Planner:Itineraries";

    /// <summary>
    /// How long an itinerary grain trusts what it holds without comparing revisions with the database: about the longest
    /// an itinerary can lag behind a change whose one-way refresh was lost with a dying silo (plus the one batched read
    /// the comparison takes: ItineraryRevisionChecks). Ordinary changes arrive at once.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int ValidateAfterSeconds { get; set; } = 30;
}
