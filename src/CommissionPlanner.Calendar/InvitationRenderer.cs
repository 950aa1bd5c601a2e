using System.Text;
using CommissionPlanner.Domain;
using Ical.Net;
using Ical.Net.DataTypes;
using NodaTime;

namespace CommissionPlanner.Calendar;

/// <summary>What an iTIP object asks of the recipient's calendar (RFC 5546 §1.4).</summary>
public enum InvitationMethod
{
    /// <summary>METHOD:REQUEST: put the event in the calendar, or update the one with the same UID.</summary>
    Request,

    /// <summary>METHOD:CANCEL: take the event with this UID out of the calendar.</summary>
    Cancel,
}

/// <summary>
/// Renders one engagement as an iTIP object (RFC 5546) for an e-mail (iMIP, RFC 6047): the VEVENT is the one
/// <see cref="FeedRenderer"/> builds for the same calendar (same UID, SEQUENCE, times in the venue's zone, attendee line),
/// so a mail client applies it to the event the person's feed already put in their calendar.
/// </summary>
/// <remarks>
/// What iTIP adds to the feed's event: METHOD on the calendar (and none of the feed's own properties: no name, refresh
/// interval or TTL), an ORGANIZER (REQUIRED in every iTIP method), RSVP=TRUE on the attendee line of a REQUEST, STATUS
/// CANCELLED on a CANCEL whatever the engagement's status (a person taken off the list gets a CANCEL of an event that
/// goes on), and DTSTAMP the time the message is made: with a METHOD, RFC 5545 §3.8.7.2 makes DTSTAMP the object's
/// creation, and clients that see an equal SEQUENCE (a CANCEL to one person) order the two by it.
/// </remarks>
public static class InvitationRenderer
{
    /// <summary>
    /// The iTIP object for <paramref name="e"/> as <paramref name="calendar"/> shows it, as UTF-8 bytes without a
    /// byte-order mark (CRLF line ends, folded at 75 octets). <paramref name="stamp"/> is when the message is made.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The calendar has no usable organiser address (<see cref="FeedCalendar.OrganizerEmail"/> must make a mailto: URI), is
    /// a busy calendar (an invitation shows everything to the person it is for), or the event's zones or times cannot be
    /// placed, or it holds a status, role or response the feed would not know either.
    /// </exception>
    public static byte[] RenderInvitation(FeedCalendar calendar, FeedEvent e, InvitationMethod method, Instant stamp) =>
        Encoding.UTF8.GetBytes(FeedRenderer.Serialize(BuildInvitation(calendar, e, method, stamp)));

    /// <summary>The iTIP object as one Ical.Net calendar, as <see cref="RenderInvitation"/> serializes it.</summary>
    internal static Ical.Net.Calendar BuildInvitation(FeedCalendar calendar, FeedEvent e, InvitationMethod method, Instant stamp)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(e);
        if (calendar.Detail != FeedDetail.Full)
        {
            throw new ArgumentException("An invitation is for the person's own calendar: a busy calendar cannot send one.", nameof(calendar));
        }

        if (!Validators.TryMailtoUri(calendar.OrganizerEmail?.Trim(), out _))
        {
            throw new ArgumentException(
                $"iTIP requires an ORGANIZER, and '{calendar.OrganizerEmail}' is not an e-mail address.", nameof(calendar));
        }

        var placed = FeedRenderer.Placed([e]);
        if (placed.Count == 0)
        {
            throw new ArgumentException($"The times of engagement {e.EngagementId} cannot be placed in its zones.", nameof(e));
        }

        var ical = new Ical.Net.Calendar
        {
            ProductId = FeedRenderer.ProductId,
            Version = "2.0",
            Scale = "GREGORIAN",
            Method = method switch
            {
                InvitationMethod.Request => "REQUEST",
                InvitationMethod.Cancel => "CANCEL",
                _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown invitation method."),
            },
        };

        var (earliest, latest) = FeedRenderer.Range(placed);
        foreach (var (id, zone) in FeedRenderer.ZonesUsed(placed))
        {
            ical.AddChild(TimeZoneComponents.Build(id, zone, earliest, latest));
        }

        var view = FeedRenderer.ViewOf(e, calendar.Detail, FeedRenderer.ViewerOf(calendar));
        var vevent = FeedRenderer.BuildEvent(
            view, calendar.Detail, calendar.EventUrl?.Invoke(view.EngagementId), calendar.OrganizerName, calendar.OrganizerEmail);
        vevent.DtStamp = new CalDateTime(stamp.ToDateTimeUtc());
        if (method == InvitationMethod.Cancel)
        {
            vevent.Status = "CANCELLED";
        }
        else
        {
            foreach (var attendee in vevent.Attendees)
            {
                attendee.Rsvp = true;
            }
        }

        ical.Events.Add(vevent);
        return ical;
    }
}
