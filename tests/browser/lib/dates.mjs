// Calendar dates in UTC, as the forms take them (YYYY-MM-DD).

/** `date` plus `days` whole days (UTC), as a new Date. */
export function addDays(date, days) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

export function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

/** The zone's offset from UTC, in minutes, at the instant `ms` (Intl's tz database). */
function offsetMinutes(ms, zone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const n = (type) => Number(parts.find((p) => p.type === type).value);
  const wall = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return (wall - ms) / 60_000;
}

/**
 * The UTC instant (ISO, whole seconds, "Z") of the wall-clock `hhmm` on `date` in `zone`,
 * computed independently of the app, as a calendar app would.
 */
export function zonedInstant(date, hhmm, zone) {
  const [h, m] = hhmm.split(":").map(Number);
  const wall = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), h, m);
  // Twice: the offset at the first guess may differ across a DST change.
  let ms = wall - offsetMinutes(wall, zone) * 60_000;
  ms = wall - offsetMinutes(ms, zone) * 60_000;
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}
