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
