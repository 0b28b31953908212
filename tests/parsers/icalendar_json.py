"""Reads an .ics file with Python icalendar and prints, as JSON, the names of the calendar's
own properties (upper case, sorted, once each) and every VEVENT's uid, sequence, start and
end (UTC instant "YYYY-MM-DDTHH:MM:SSZ", or "YYYY-MM-DD" for a date), summary, status, and
the calendar's METHOD: the same shape as ical-js.mjs. Exits non-zero on
anything it cannot read, including properties icalendar could not parse and floating times
(docs/CALENDAR.md S5: our output is UTC or dates only)."""

import datetime
import json
import sys

import icalendar


def fail(message):
    sys.stderr.write(f"icalendar: {message}\n")
    sys.exit(1)


def instant(value, what):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() != datetime.timedelta(0):
            fail(f"{what} is not in UTC: {value!r}")
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    fail(f"{what} is neither a date nor a date-time: {value!r}")


def main():
    if len(sys.argv) != 2:
        fail("usage: python icalendar_json.py FILE.ics")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # any parse failure is a failed check
        fail(f"cannot parse: {error}")
    for component in calendar.walk():
        if component.errors:
            fail(f"{component.name}: {component.errors}")
    method = calendar.get("METHOD")
    events = []
    for vevent in calendar.walk("VEVENT"):
        if "DTEND" not in vevent:
            fail(f"event {vevent.get('UID')} has no DTEND")
        start = vevent.decoded("DTSTART")
        status = vevent.get("STATUS")
        events.append(
            {
                "uid": str(vevent.get("UID")),
                "sequence": int(vevent.get("SEQUENCE", 0)),
                "start": instant(start, "DTSTART"),
                "end": instant(vevent.decoded("DTEND"), "DTEND"),
                "all_day": not isinstance(start, datetime.datetime),
                "summary": str(vevent.get("SUMMARY", "")),
                "status": None if status is None else str(status),
                "method": None if method is None else str(method),
            }
        )
    names = sorted({str(name).upper() for name in calendar.keys()})
    print(json.dumps({"calendar": names, "events": events}))


main()
