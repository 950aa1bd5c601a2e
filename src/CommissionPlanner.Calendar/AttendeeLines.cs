using System.Text;
using Ical.Net;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace CommissionPlanner.Calendar;

/// <summary>
/// Ical.Net's ATTENDEE lines, each written once per render and reused. An organiser feed of the scale test's programme
/// has 200,000 attendee lines of 20,000 people, and Ical.Net's property serializer (parameters, escaping, folding) was
/// most of its render (docs/performance.md).
/// </summary>
/// <remarks>
/// Plugged in through Ical.Net's own extension point, the serializer factory of a <see cref="SerializationContext"/>, so
/// Ical.Net still writes every component and property, in its order. Ical.Net keeps an event's attendees as the values
/// of one ATTENDEE property and writes each value as a line of its own, from the value and its parameters alone (the
/// property has none); so the line of a value is Ical.Net's text of a property holding only that value. A render
/// builds one <see cref="Attendee"/> per distinct attendee (<c>FeedRenderer.EventWriter</c>) and never changes it after,
/// so the text is kept per attendee object. Any other property, or an ATTENDEE property that does not look like that,
/// is Ical.Net's as it stands. FeedRendererCacheTests and FeedRendererApprovedTests check the bytes against Ical.Net
/// serializing the whole calendar.
/// </remarks>
internal static class AttendeeLines
{
    /// <summary>Ical.Net's serializer factory, with ATTENDEE properties written by <see cref="Serializer"/>.</summary>
    internal sealed class Factory : SerializerFactory
    {
        private readonly Dictionary<Attendee, string> lines = new(ReferenceEqualityComparer.Instance);

        public override ISerializer? Build(Type? objectType, SerializationContext ctx) =>
            objectType is not null && typeof(ICalendarProperty).IsAssignableFrom(objectType)
                ? new Serializer(ctx, lines)
                : base.Build(objectType, ctx);
    }

    private sealed class Serializer(SerializationContext context, Dictionary<Attendee, string> lines) : PropertySerializer(context)
    {
        public override string? SerializeToString(object? obj)
        {
            if (obj is not ICalendarProperty { Name: "ATTENDEE", Parameters.Count: 0, Values: { } values } property
                || !values.Any() || values.Any(v => v is not Attendee))
            {
                return base.SerializeToString(obj);
            }

            var text = new StringBuilder();
            foreach (var attendee in values.Cast<Attendee>())
            {
                if (!lines.TryGetValue(attendee, out var line))
                {
                    line = base.SerializeToString(new CalendarProperty(property.Name, attendee)) ?? string.Empty;
                    lines[attendee] = line;
                }

                text.Append(line);
            }

            return text.ToString();
        }
    }
}
