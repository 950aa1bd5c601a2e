"""Parses an iCalendar feed from stdin with python-icalendar (Debian's python3-icalendar) and prints what it read as JSON.

Used by PythonIcalendar.cs as a second parser independent of Ical.Net and ical.js. Exit 0 with "error": null when the
feed parsed with no component errors; otherwise "error" says what went wrong. Instants are computed twice: with
pytz from the TZID (tzdb, as python-icalendar does) and with the feed's own VTIMEZONE (Timezone.to_tz()).
"""
import datetime
import json
import sys

import icalendar
import pytz


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def utc(value):
    if value is None:
        return None
    dt = value.dt
    if getattr(dt, "tzinfo", None) is None:
        return None
    return dt.astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_only(value):
    """The date of a DATE value (an all-day event), or None for a DATE-TIME."""
    if value is None or isinstance(value.dt, datetime.datetime):
        return None
    return value.dt.isoformat()


def by_feed_zone(value, zones):
    """The instant using the feed's VTIMEZONE for the TZID, not pytz."""
    if value is None or "TZID" not in value.params:
        return utc(value)
    tz = zones.get(str(value.params["TZID"]))
    if tz is None:
        return None
    return tz.localize(value.dt.replace(tzinfo=None)).astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def address(prop):
    return {
        "value": str(prop),
        "cn": None if "CN" not in prop.params else str(prop.params["CN"]),
        "role": None if "ROLE" not in prop.params else str(prop.params["ROLE"]),
        "partstat": None if "PARTSTAT" not in prop.params else str(prop.params["PARTSTAT"]),
    }


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def main():
    data = sys.stdin.buffer.read()
    result = {"error": None, "prodid": None, "calname": None, "refreshInterval": None, "timezones": [], "zoneErrors": [], "events": []}
    try:
        source = data.decode("utf-8")  # strict: a split UTF-8 sequence is an error here
        calendar = icalendar.Calendar.from_ical(source)
        errors = []
        for component in calendar.walk():
            for name, message in component.errors:
                errors.append("%s %s: %s" % (component.name, name, message))
        if errors:
            raise ValueError("; ".join(errors))
        result["prodid"] = text(calendar, "PRODID")
        result["calname"] = text(calendar, "X-WR-CALNAME")
        refresh = calendar.get("REFRESH-INTERVAL")
        result["refreshInterval"] = None if refresh is None else refresh.to_ical().decode("ascii")
        zones = {}
        for zone in calendar.walk("VTIMEZONE"):
            tzid = str(zone["TZID"])
            result["timezones"].append(tzid)
            try:
                zones[tzid] = zone.to_tz()
            except Exception as e:  # noqa: BLE001 - reported, the test decides
                result["zoneErrors"].append("%s: %s" % (tzid, e))
        for event in calendar.walk("VEVENT"):
            categories = []
            for prop in as_list(event.get("CATEGORIES")):
                categories.extend(str(c) for c in getattr(prop, "cats", [prop]))
            organizer = event.get("ORGANIZER")
            result["events"].append({
                "uid": text(event, "UID"),
                "sequence": int(event.get("SEQUENCE", 0)),
                "status": text(event, "STATUS"),
                "summary": text(event, "SUMMARY"),
                "location": text(event, "LOCATION"),
                "description": text(event, "DESCRIPTION"),
                "class": text(event, "CLASS"),
                "url": text(event, "URL"),
                "categories": categories,
                "startTzid": None if "TZID" not in event["DTSTART"].params else str(event["DTSTART"].params["TZID"]),
                "startUtc": utc(event.get("DTSTART")),
                "endUtc": utc(event.get("DTEND")),
                "startDate": date_only(event.get("DTSTART")),
                "endDate": date_only(event.get("DTEND")),
                "transparency": text(event, "TRANSP"),
                "startUtcByFeedZone": by_feed_zone(event.get("DTSTART"), zones),
                "endUtcByFeedZone": by_feed_zone(event.get("DTEND"), zones),
                "organizer": None if organizer is None else address(organizer),
                "attendees": [address(a) for a in as_list(event.get("ATTENDEE"))],
            })
    except Exception as e:  # noqa: BLE001 - any failure to read the feed is the finding
        result["error"] = "%s: %s" % (type(e).__name__, e)
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0 if result["error"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
