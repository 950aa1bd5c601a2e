using System.Globalization;
using CommissionPlanner.Data.Import;

namespace CommissionPlanner.Benchmarks;

/// <summary>
/// The shape of a generated programme. Engagements sit in <see cref="Slots"/> consecutive time slots (one hour
/// long, one hour apart, six a day) with <c>Engagements / Slots</c> engagements side by side in each slot, at four
/// venues in one city; every person attends <see cref="EventsPerPerson"/> of them, never two in one slot, so the
/// document has no clash. By default a person's events are spread over all the slots (every
/// <c>Slots / EventsPerPerson</c>-th slot). With <see cref="Packed"/> each person fills slots 0 to
/// EventsPerPerson - 1 and the later slots are free for every person (what the load test's attendee adds use; before
/// <see cref="Packed"/> existed the load test relied on <c>Slots / EventsPerPerson == 1</c>, which 140 / 60 is not, so
/// people also filled alternate slots of 60-119 and half the adds clashed).
/// </summary>
public sealed record ProgrammeShape(int People, int Engagements, int Slots, int EventsPerPerson, int DelegationSize = 50, bool Packed = false)
{
    /// <summary>
    /// The load test's programme: 800 people with 60-event feeds in slots 0-59 (40 people an engagement there), 20
    /// engagements a slot, slots 60-259 free for every person: 160,000 distinct valid adds, enough for the warm-up and three
    /// rounds at 3,000 adds a second (at 80 free slots, the eighth session's 1,800-2,700 a second ran out in round 3).
    /// </summary>
    public static ProgrammeShape LoadTest { get; } = new(People: 800, Engagements: 5200, Slots: 260, EventsPerPerson: 60, Packed: true);

    /// <summary>The import benchmark's programme: 5,000 people, 1,000 engagements, 10 per person (50,000 attendees).</summary>
    public static ProgrammeShape Import { get; } = new(People: 5000, Engagements: 1000, Slots: 100, EventsPerPerson: 10);

    public int PerSlot => Engagements / Slots;

    public int Stride => Packed ? 1 : Slots / EventsPerPerson;

    public void Validate()
    {
        if (People < 1 || Slots < 1 || Engagements % Slots != 0 || EventsPerPerson < 1 || EventsPerPerson > Slots)
        {
            throw new ArgumentException("Engagements must be a multiple of Slots, and 1 <= EventsPerPerson <= Slots.");
        }
    }
}

/// <summary>Generates a valid <c>commission-planner/programme@1</c> document of a given shape (deterministic).</summary>
public static class ProgrammeGenerator
{
    private static readonly (string Id, string Name, double Lat, double Lon)[] Venues =
    [
        ("perf-venue-a", "Lancaster House", 51.5040, -0.1389),
        ("perf-venue-b", "Royal Society", 51.5063, -0.1318),
        ("perf-venue-c", "Science Museum", 51.4978, -0.1745),
        ("perf-venue-d", "Wellcome Collection", 51.5258, -0.1339),
    ];

    private static readonly int[] SlotHours = [8, 10, 12, 14, 16, 18];

    public static string PersonId(int p) => $"p{p:D5}";

    public static string EngagementId(int slot, int index) => $"e{slot:D4}-{index:D3}";

    /// <summary>The engagement person <paramref name="p"/> attends as their <paramref name="k"/>-th event.</summary>
    public static (int Slot, int Index) Attended(ProgrammeShape shape, int p, int k) =>
        (k * shape.Stride + p % shape.Stride, (p / shape.Stride + k) % shape.PerSlot);

    /// <summary>
    /// A programme document of <paramref name="shape"/>. <paramref name="externalId"/> and <paramref name="name"/> tell
    /// programmes apart (the scale test imports eleven); people, delegations and engagements are keyed within their
    /// programme, and the four venues are shared (their externalIds are global, so a second programme reuses them).
    /// </summary>
    public static ProgrammeDocument Generate(ProgrammeShape shape, string externalId = "perf", string? name = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        var start = new DateOnly(2026, 3, 2);
        var days = (shape.Slots + SlotHours.Length - 1) / SlotHours.Length;

        var venues = Venues.Select(v => new VenueData(
            v.Id, v.Name, null, $"{v.Name}, London", "London", "GB", "Europe/London", v.Lat, v.Lon, null, false)).ToList();

        var delegations = new List<DelegationData?>();
        for (var d = 0; d * shape.DelegationSize < shape.People; d++)
        {
            var members = new List<MemberData?>();
            for (var p = d * shape.DelegationSize; p < Math.Min(shape.People, (d + 1) * shape.DelegationSize); p++)
            {
                members.Add(new MemberData(
                    PersonId(p), $"Delegate {p:D5}", null, "Generated Organisation", p % shape.DelegationSize == 0 ? "Head of delegation" : "Adviser",
                    $"delegate{p:D5}@example.org", p % shape.DelegationSize == 0 ? "head" : "member"));
            }

            delegations.Add(new DelegationData($"perf-d{d:D3}", $"Delegation {d:D3}", d % 2 == 0 ? "GB" : "FR", members));
        }

        var attendees = new List<AttendeeData?>[shape.Engagements];
        for (var i = 0; i < attendees.Length; i++)
        {
            attendees[i] = [];
        }

        for (var p = 0; p < shape.People; p++)
        {
            for (var k = 0; k < shape.EventsPerPerson; k++)
            {
                var (slot, index) = Attended(shape, p, k);
                attendees[slot * shape.PerSlot + index].Add(new AttendeeData(PersonId(p), k == 0 ? "required" : "optional", "accepted"));
            }
        }

        var engagements = new List<EngagementData?>();
        for (var slot = 0; slot < shape.Slots; slot++)
        {
            var day = start.AddDays(slot / SlotHours.Length);
            var hour = SlotHours[slot % SlotHours.Length];
            var from = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + $"T{hour:D2}:00";
            var to = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + $"T{hour + 1:D2}:00";
            for (var index = 0; index < shape.PerSlot; index++)
            {
                engagements.Add(new EngagementData(
                    EngagementId(slot, index), "meeting", $"Working group {index + 1}, session {slot + 1}", Venues[index % Venues.Length].Id,
                    null, null, from, to, null, null, null, ["health"], null, "Generated host",
                    "A generated engagement for performance measurements; the description is a sentence or two long, as real ones are.",
                    null, null, "confirmed", attendees[slot * shape.PerSlot + index]));
            }
        }

        return new ProgrammeDocument(
            ProgrammeDocument.FormatId, $"Generated: {shape}",
            new ProgrammeData(externalId, name ?? "Generated performance programme", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                start.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "Europe/London", ["health"]),
            venues, delegations, engagements);
    }
}
