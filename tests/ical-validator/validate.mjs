// Reads an iCalendar file from stdin, parses it with Mozilla's ical.js (the parser Thunderbird uses,
// written by no one on this project) and prints, as JSON, what a client sees: for each VEVENT its
// properties and its start/end as UTC instants computed by ical.js through the calendar's own VTIMEZONEs.
// Exit code 1 with {"error": ...} on a parse failure.
import ICAL from 'ical.js';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString('utf8');

function utc(time) {
  if (!time) return null;
  // toUnixTime() converts through the time's zone, i.e. the registered VTIMEZONE.
  return new Date(time.toUnixTime() * 1000).toISOString().replace('.000Z', 'Z');
}

try {
  const root = new ICAL.Component(ICAL.parse(text));
  // Only the calendar's own zones: ical.js ships none but UTC, so instants come from the embedded rules.
  ICAL.TimezoneService.reset();
  const timezones = [];
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(vtz);
    timezones.push(vtz.getFirstPropertyValue('tzid'));
  }

  const missingZones = new Set();
  const events = root.getAllSubcomponents('vevent').map((vevent) => {
    for (const name of ['dtstart', 'dtend']) {
      const tzid = vevent.getFirstProperty(name)?.getParameter('tzid');
      if (tzid && !ICAL.TimezoneService.has(tzid)) missingZones.add(tzid);
    }
    const event = new ICAL.Event(vevent);
    const organizer = vevent.getFirstProperty('organizer');
    const geo = vevent.getFirstPropertyValue('geo');
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: vevent.getFirstPropertyValue('status'),
      summary: event.summary,
      location: event.location,
      description: event.description,
      class: vevent.getFirstPropertyValue('class'),
      url: vevent.getFirstPropertyValue('url'),
      geo: geo ? geo.map(Number) : null,
      categories: vevent.getAllProperties('categories').flatMap((p) => p.getValues()),
      startTzid: event.startDate.zone?.tzid ?? null,
      endTzid: event.endDate?.zone?.tzid ?? null,
      startUtc: utc(event.startDate),
      endUtc: utc(event.endDate),
      // All-day events (DATE values): the dates themselves, which no zone moves.
      allDay: event.startDate.isDate,
      startDate: event.startDate.isDate ? event.startDate.toString() : null,
      endDate: event.endDate?.isDate ? event.endDate.toString() : null,
      transparency: vevent.getFirstPropertyValue('transp'),
      dtstamp: utc(vevent.getFirstPropertyValue('dtstamp')),
      organizer: organizer ? { value: organizer.getFirstValue(), cn: organizer.getParameter('cn') ?? null } : null,
      attendees: vevent.getAllProperties('attendee').map((a) => ({
        value: a.getFirstValue(),
        cn: a.getParameter('cn') ?? null,
        role: a.getParameter('role') ?? null,
        partstat: a.getParameter('partstat') ?? null,
      })),
    };
  });

  process.stdout.write(JSON.stringify({
    prodid: root.getFirstPropertyValue('prodid'),
    version: root.getFirstPropertyValue('version'),
    method: root.getFirstPropertyValue('method'),
    calname: root.getFirstPropertyValue('x-wr-calname'),
    timezones,
    missingZones: [...missingZones],
    events,
  }, null, 2) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ error: String(err?.stack ?? err) }) + '\n');
  process.exitCode = 1;
}
