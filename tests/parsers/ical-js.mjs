// Reads an .ics file with ical.js (Thunderbird's parser) and prints, as JSON, the names of
// the calendar's own properties (upper case, sorted, once each) and every VEVENT's uid,
// sequence, start and end (UTC instant "YYYY-MM-DDTHH:MM:SSZ", or "YYYY-MM-DD" for a
// date), summary, status, and the calendar's METHOD. Exits non-zero on
// anything it cannot read, including a floating or TZID time: our output is UTC or dates
// only (docs/CALENDAR.md S5).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function fail(message) {
  process.stderr.write(`ical.js: ${message}\n`);
  process.exit(1);
}

function instant(time, what) {
  if (time.isDate) return time.toString();
  if (time.zone !== ICAL.Timezone.utcTimezone) fail(`${what} is not in UTC: ${time.toString()}`);
  return time.toJSDate().toISOString().replace(/\.\d{3}Z$/, "Z");
}

const path = process.argv[2];
if (!path) fail("usage: node ical-js.mjs FILE.ics");

let calendar;
try {
  calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
} catch (error) {
  fail(`cannot parse: ${error.message}`);
}
if (calendar.name !== "vcalendar") fail(`top component is ${calendar.name}`);

const method = calendar.getFirstPropertyValue("method");
let events;
try {
  events = calendar.getAllSubcomponents("vevent").map(read);
} catch (error) {
  fail(`cannot read an event: ${error.message}`);
}
const names = [...new Set(calendar.getAllProperties().map((p) => p.name.toUpperCase()))].sort();
process.stdout.write(JSON.stringify({ calendar: names, events }) + "\n");

function read(vevent) {
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  const end = event.endDate;
  if (!start || !end) fail(`event ${event.uid} lacks a start or an end`);
  return {
    uid: event.uid,
    sequence: event.sequence ?? 0,
    start: instant(start, "DTSTART"),
    end: instant(end, "DTEND"),
    all_day: start.isDate,
    summary: event.summary ?? "",
    status: vevent.getFirstPropertyValue("status") ?? null,
    method: method ?? null,
  };
}
