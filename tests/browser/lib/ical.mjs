// Reads iCalendar text with npm ical.js, as a calendar app would: the events of a feed,
// a download or an invite's text/calendar part, with their instants in UTC.
import ICAL from "ical.js";

/** ISO instant ("…Z") of a timed ICAL.Time, or the date ("YYYY-MM-DD") of an all-day one. */
function instant(time) {
  if (!time) return null;
  if (time.isDate) return time.toString();
  return new Date(time.toUnixTime() * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * Parses `text` (throws on anything ical.js refuses) into
 * { method, events: [{ uid, summary, description, start, end, allDay, utc, sequence, status }] }.
 */
export function readCalendar(text) {
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== "vcalendar") throw new Error(`not a VCALENDAR but ${root.name}`);
  const events = root.getAllSubcomponents("vevent").map((v) => {
    const start = v.getFirstPropertyValue("dtstart");
    return {
      uid: v.getFirstPropertyValue("uid"),
      summary: v.getFirstPropertyValue("summary"),
      description: v.getFirstPropertyValue("description") ?? "",
      start: instant(start),
      end: instant(v.getFirstPropertyValue("dtend")),
      allDay: Boolean(start?.isDate),
      // Timed events are written in UTC ("Z"), never with a TZID the reader must resolve.
      utc: Boolean(start && !start.isDate && start.zone === ICAL.Timezone.utcTimezone),
      sequence: Number(v.getFirstPropertyValue("sequence") ?? 0),
      status: v.getFirstPropertyValue("status"),
    };
  });
  return { method: root.getFirstPropertyValue("method"), events };
}
