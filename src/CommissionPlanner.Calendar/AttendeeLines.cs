using System.Globalization;
using System.Text;
using Ical.Net;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace CommissionPlanner.Calendar;

/// <summary>
/// Ical.Net's ATTENDEE lines, each serialized once per render and copied into every event that has it as UTF-8. An
/// organiser feed of the scale test's programme has 200,000 attendee lines of 20,000 people: serialized one by one they
/// were most of its render, and even reused as text, each event's 40 lines went through three strings on their way to
/// its bytes (half of the render's 750 MB of allocations, docs/performance.md).
/// </summary>
/// <remarks>
/// Plugged in through Ical.Net's own extension point, the serializer factory of a <see cref="SerializationContext"/>, so
/// Ical.Net still writes every component and property, in its order. Ical.Net keeps an event's attendees as the values
/// of one ATTENDEE property and writes each value as a line of its own, from the value and its parameters alone (the
/// property has none); so the line of a value is Ical.Net's text of a property holding only that value. A render builds
/// one <see cref="Attendee"/> per distinct attendee (<c>FeedRenderer.EventWriter</c>) and never changes it after, so the
/// bytes are kept per attendee object. In the event's text the property is a marker line that
/// <see cref="Factory.ToUtf8"/> replaces with those bytes: the marker is a property line of Ical.Net's output, and no
/// value can start one (every value is escaped and every line it folds to starts with a space). Any other property, or
/// an ATTENDEE property that does not look like that, is Ical.Net's as it stands. FeedRendererCacheTests and
/// FeedRendererApprovedTests check the bytes against Ical.Net serializing the whole calendar. Not thread-safe: one per
/// render.
/// </remarks>
internal static class AttendeeLines
{
    private const string Marker = "X-COMMISSION-PLANNER-ATTENDEE-LINES:";

    /// <summary>Ical.Net's serializer factory, with ATTENDEE properties written by <see cref="Serializer"/>.</summary>
    internal sealed class Factory : SerializerFactory
    {
        private readonly Dictionary<Attendee, byte[]> lines = new(ReferenceEqualityComparer.Instance);

        /// <summary>The attendees of the markers written since the last <see cref="ToUtf8"/>, in order.</summary>
        private readonly List<Attendee> held = [];

        public override ISerializer? Build(Type? objectType, SerializationContext ctx) =>
            objectType is not null && typeof(ICalendarProperty).IsAssignableFrom(objectType)
                ? new Serializer(ctx, this)
                : base.Build(objectType, ctx);

        /// <summary>
        /// A component's text, which this factory's serializers wrote, as UTF-8 with each marker line replaced by the
        /// lines of its attendees.
        /// </summary>
        public byte[] ToUtf8(string text)
        {
            if (held.Count == 0)
            {
                return Encoding.UTF8.GetBytes(text);
            }

            var parts = new List<(int Start, int Length, int FirstAttendee, int Attendees)>();
            var length = 0;
            var copied = 0;
            var next = 0;
            for (var at = text.IndexOf(Marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Marker, at + 1, StringComparison.Ordinal))
            {
                if (at > 0 && text[at - 1] != '\n')
                {
                    // The marker's text inside a value (a title quoting it, say): only a line's start is a marker.
                    continue;
                }

                var end = text.IndexOf("\r\n", at, StringComparison.Ordinal);
                if (end < 0
                    || !int.TryParse(text.AsSpan(at + Marker.Length, end - at - Marker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    || count > held.Count - next)
                {
                    throw new InvalidOperationException("An attendee marker is not one this render wrote.");
                }

                parts.Add((copied, at - copied, next, count));
                length += Encoding.UTF8.GetByteCount(text.AsSpan(copied, at - copied));
                for (var i = next; i < next + count; i++)
                {
                    length += lines[held[i]].Length;
                }

                next += count;
                copied = end + 2;
            }

            if (next != held.Count)
            {
                throw new InvalidOperationException("Attendee lines were written that the text has no marker for.");
            }

            parts.Add((copied, text.Length - copied, next, 0));
            length += Encoding.UTF8.GetByteCount(text.AsSpan(copied));
            var bytes = new byte[length];
            var written = 0;
            foreach (var (start, textLength, firstAttendee, attendees) in parts)
            {
                written += Encoding.UTF8.GetBytes(text.AsSpan(start, textLength), bytes.AsSpan(written));
                for (var i = firstAttendee; i < firstAttendee + attendees; i++)
                {
                    var line = lines[held[i]];
                    line.CopyTo(bytes, written);
                    written += line.Length;
                }
            }

            held.Clear();
            return bytes;
        }

        /// <summary>Holds the property's attendees for <see cref="ToUtf8"/>, and answers the marker line to write instead.</summary>
        internal string Hold(string name, IEnumerable<object?> values, Func<ICalendarProperty, string?> serialize)
        {
            var count = 0;
            foreach (var attendee in values.Cast<Attendee>())
            {
                if (!lines.ContainsKey(attendee))
                {
                    lines[attendee] = Encoding.UTF8.GetBytes(IcalNetWorkarounds.KeepSurrogatePairsWhole(
                        serialize(new CalendarProperty(name, attendee)) ?? string.Empty));
                }

                held.Add(attendee);
                count++;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{Marker}{count}\r\n");
        }
    }

    private sealed class Serializer(SerializationContext context, Factory factory) : PropertySerializer(context)
    {
        public override string? SerializeToString(object? obj)
        {
            if (obj is not ICalendarProperty { Name: "ATTENDEE", Parameters.Count: 0, Values: { } values } property
                || !values.Any() || values.Any(v => v is not Attendee))
            {
                return base.SerializeToString(obj);
            }

            return factory.Hold(property.Name, values, base.SerializeToString);
        }
    }
}
