//! How the attendee's agenda lays out a published day: times written in the meeting's zone
//! with the weekday and the zone's abbreviation, the local day each session falls on, and
//! the grid of rooms × start times with each session spanning the rows it covers.

use chrono::{NaiveDate, NaiveDateTime, Offset as _};
use chrono_tz::Tz;

use super::local_time::to_local;

/// "Sat 20 June 2026, 09:00 MDT": a UTC instant on the meeting's wall clocks.
pub fn long_time(utc: NaiveDateTime, zone: Tz) -> String {
    zoned(utc, zone).format("%a %-d %B %Y, %H:%M %Z").to_string()
}

/// "09:00 MDT": the same instant, when the day is already said.
pub fn short_time(utc: NaiveDateTime, zone: Tz) -> String {
    zoned(utc, zone).format("%H:%M %Z").to_string()
}

/// A session's start and end on the meeting's clocks. Each carries its own zone when the
/// two differ, which happens when a DST change falls between them ("01:30 MST" and
/// "03:30 MDT": labelling both with the end's zone would put the start an hour off); when
/// they agree the zone is said once, after the end. The end carries its date when it falls
/// on another local day than the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The start: with its date when `dated`, with its zone only when the end's differs.
    pub start: String,
    /// The end: its clock and zone, with its date when it is on another local day.
    pub end: String,
}

impl Span {
    pub fn new(start: NaiveDateTime, end: NaiveDateTime, zone: Tz, dated: bool) -> Span {
        let (s, e) = (zoned(start, zone), zoned(end, zone));
        let zones_differ =
            s.offset().fix() != e.offset().fix() || s.format("%Z").to_string() != e.format("%Z").to_string();
        let start_format = match (dated, zones_differ) {
            (true, true) => "%a %-d %B %Y, %H:%M %Z",
            (true, false) => "%a %-d %B %Y, %H:%M",
            (false, true) => "%H:%M %Z",
            (false, false) => "%H:%M",
        };
        let end_format = if s.date_naive() == e.date_naive() { "%H:%M %Z" } else { "%a %-d %B %Y, %H:%M %Z" };
        Span { start: s.format(start_format).to_string(), end: e.format(end_format).to_string() }
    }
}

/// One line: "09:00–10:30 MDT" when only clocks stand on either side of the dash, spaced
/// ("01:30 MST – 03:30 MDT", "Sat 20 June 2026, 09:00 – 10:30 MDT") when either holds more.
impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start.contains(' ') || self.end.contains(',') {
            write!(f, "{} – {}", self.start, self.end)
        } else {
            write!(f, "{}–{}", self.start, self.end)
        }
    }
}

/// "Sat 20 June 2026": a day heading.
pub fn day_heading(day: NaiveDate) -> String {
    day.format("%a %-d %B %Y").to_string()
}

/// "2026-06-20T15:00:00Z": the machine-readable instant of a `<time>` element.
pub fn iso_utc(utc: NaiveDateTime) -> String {
    utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn zoned(utc: NaiveDateTime, zone: Tz) -> chrono::DateTime<Tz> {
    use chrono::TimeZone as _;
    zone.from_utc_datetime(&utc)
}

/// The meeting's day a session belongs to: the local date of its start.
pub fn local_day(utc: NaiveDateTime, zone: Tz) -> NaiveDate {
    to_local(utc, zone).date()
}

/// The days the agenda offers: every day of the meeting, and any other day a published
/// session starts on (none should, but a session must never be unreachable).
pub fn days(first: NaiveDate, last: NaiveDate, starts: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    days.extend(starts.iter().copied());
    days.sort();
    days.dedup();
    days
}

/// What the grid needs to know of a session.
#[derive(Debug, Clone)]
pub struct Slot<'a> {
    pub room: Option<&'a str>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

/// One cell of the grid: the sessions it holds (indices into the slots) and how many rows
/// and columns it spans. Rows a spanning cell covers have no cell of their own in that
/// column; a cell across every column (a break for everyone) is its row's only cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub rowspan: usize,
    pub colspan: usize,
    pub sessions: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    pub starts_at: NaiveDateTime,
    pub cells: Vec<Cell>,
}

/// Rooms × start times of one day. `rooms` is the column order. A session without a room
/// that overlaps no other session (a coffee break, lunch) spans every column; another
/// session without a room goes to a last column (`None`) that exists only when needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub columns: Vec<Option<String>>,
    pub rows: Vec<GridRow>,
}

pub fn grid(rooms: &[String], slots: &[Slot<'_>]) -> Grid {
    let for_everyone = |i: usize| {
        let s = &slots[i];
        s.room.is_none()
            && !slots
                .iter()
                .enumerate()
                .any(|(j, o)| j != i && o.starts_at < s.ends_at && s.starts_at < o.ends_at)
    };
    let mut columns: Vec<Option<String>> = rooms
        .iter()
        .filter(|r| slots.iter().any(|s| s.room == Some(r.as_str())))
        .map(|r| Some(r.clone()))
        .collect();
    for s in slots {
        let col = s.room.map(str::to_owned);
        if !columns.contains(&col) && col.is_some() {
            columns.push(col);
        }
    }
    if (0..slots.len()).any(|i| slots[i].room.is_none() && !for_everyone(i))
        || (columns.is_empty() && !slots.is_empty())
    {
        columns.push(None);
    }
    let mut times: Vec<NaiveDateTime> = slots.iter().map(|s| s.starts_at).collect();
    times.sort();
    times.dedup();
    // Per column, the cells in row order as (first row, last row covered + 1, sessions).
    // A session for everyone overlaps nothing, so its rows hold no other cell.
    let mut placed: Vec<Vec<(usize, usize, Vec<usize>)>> = vec![Vec::new(); columns.len()];
    let mut across: Vec<(usize, usize, usize)> = Vec::new();
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_by_key(|&i| (slots[i].starts_at, i));
    for i in order {
        let s = &slots[i];
        let first = times.iter().position(|t| *t == s.starts_at).unwrap_or(0);
        let end = first + times[first..].iter().take_while(|t| **t < s.ends_at).count().max(1);
        if for_everyone(i) && columns.iter().any(Option::is_some) {
            across.push((first, end, i));
            continue;
        }
        let Some(col) = columns.iter().position(|c| c.as_deref() == s.room) else { continue };
        match placed[col].last_mut() {
            // Overlaps the cell above (a cancelled session and its replacement): share it.
            Some((_, until, list)) if first < *until => {
                *until = (*until).max(end);
                list.push(i);
            }
            _ => placed[col].push((first, end, vec![i])),
        }
    }
    let rows = times
        .iter()
        .enumerate()
        .map(|(row, t)| {
            if let Some((first, until, i)) =
                across.iter().find(|(first, until, _)| *first <= row && row < *until)
            {
                let cells = if *first == row {
                    vec![Cell { rowspan: until - first, colspan: columns.len(), sessions: vec![*i] }]
                } else {
                    Vec::new()
                };
                return GridRow { starts_at: *t, cells };
            }
            let cells = placed
                .iter()
                .filter_map(|cells| {
                    match cells.iter().find(|(first, until, _)| *first <= row && row < *until) {
                        Some((first, until, list)) if *first == row => {
                            Some(Cell { rowspan: until - first, colspan: 1, sessions: list.clone() })
                        }
                        Some(_) => None,
                        None => Some(Cell { rowspan: 1, colspan: 1, sessions: Vec::new() }),
                    }
                })
                .collect();
            GridRow { starts_at: *t, cells }
        })
        .collect();
    Grid { columns, rows }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .expect("date")
            .and_time(NaiveTime::from_hms_opt(h, min, 0).expect("time"))
    }

    /// A session on 20 June 2026 from `from` to `to` (UTC hours and minutes).
    fn slot(room: Option<&str>, from: (u32, u32), to: (u32, u32)) -> Slot<'_> {
        Slot { room, starts_at: at(2026, 6, 20, from.0, from.1), ends_at: at(2026, 6, 20, to.0, to.1) }
    }

    #[test]
    fn times_carry_the_weekday_and_the_zone() {
        let denver = chrono_tz::America::Denver;
        assert_eq!(long_time(at(2026, 6, 20, 15, 0), denver), "Sat 20 June 2026, 09:00 MDT");
        assert_eq!(short_time(at(2026, 6, 20, 16, 30), denver), "10:30 MDT");
        assert_eq!(iso_utc(at(2026, 6, 20, 15, 0)), "2026-06-20T15:00:00Z");
    }

    #[test]
    fn a_session_across_the_autumn_change_shows_both_offsets() {
        let cph = chrono_tz::Europe::Copenhagen;
        // 01:30 CEST and 03:30 CET on 25 October 2026: three hours apart.
        assert_eq!(long_time(at(2026, 10, 24, 23, 30), cph), "Sun 25 October 2026, 01:30 CEST");
        assert_eq!(short_time(at(2026, 10, 25, 2, 30), cph), "03:30 CET");
        assert_eq!(
            local_day(at(2026, 10, 24, 23, 30), cph),
            NaiveDate::from_ymd_opt(2026, 10, 25).expect("d")
        );
    }

    #[test]
    fn a_span_in_one_zone_says_the_zone_once() {
        let denver = chrono_tz::America::Denver;
        let span = Span::new(at(2026, 6, 20, 15, 0), at(2026, 6, 20, 16, 30), denver, false);
        assert_eq!(span, Span { start: "09:00".into(), end: "10:30 MDT".into() });
        assert_eq!(span.to_string(), "09:00–10:30 MDT");
        let dated = Span::new(at(2026, 6, 20, 15, 0), at(2026, 6, 20, 16, 30), denver, true);
        assert_eq!(dated.to_string(), "Sat 20 June 2026, 09:00 – 10:30 MDT");
    }

    #[test]
    fn a_span_across_the_spring_change_in_denver_shows_each_times_own_zone() {
        let denver = chrono_tz::America::Denver;
        // 8 March 2026: 02:00 MST becomes 03:00 MDT. 01:30 MST is 08:30 UTC, 03:30 MDT 09:30.
        let span = Span::new(at(2026, 3, 8, 8, 30), at(2026, 3, 8, 9, 30), denver, false);
        assert_eq!(span, Span { start: "01:30 MST".into(), end: "03:30 MDT".into() });
        assert_eq!(span.to_string(), "01:30 MST – 03:30 MDT");
        let dated = Span::new(at(2026, 3, 8, 8, 30), at(2026, 3, 8, 9, 30), denver, true);
        assert_eq!(dated.to_string(), "Sun 8 March 2026, 01:30 MST – 03:30 MDT");
    }

    #[test]
    fn a_span_across_the_autumn_change_in_copenhagen_shows_each_times_own_zone() {
        let cph = chrono_tz::Europe::Copenhagen;
        // 25 October 2026: 03:00 CEST becomes 02:00 CET. 01:30 CEST to 03:30 CET is 3 hours.
        let span = Span::new(at(2026, 10, 24, 23, 30), at(2026, 10, 25, 2, 30), cph, true);
        assert_eq!(span.to_string(), "Sun 25 October 2026, 01:30 CEST – 03:30 CET");
        let after = Span::new(at(2026, 10, 25, 8, 0), at(2026, 10, 25, 9, 0), cph, false);
        assert_eq!(after.to_string(), "09:00–10:00 CET", "after the change, one zone again");
    }

    #[test]
    fn a_span_past_midnight_dates_its_end() {
        let denver = chrono_tz::America::Denver;
        let span = Span::new(at(2026, 6, 21, 4, 0), at(2026, 6, 21, 7, 0), denver, true);
        assert_eq!(span.to_string(), "Sat 20 June 2026, 22:00 – Sun 21 June 2026, 01:00 MDT");
    }

    #[test]
    fn days_cover_the_meeting_and_any_stray_session() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 6, n).expect("date");
        assert_eq!(days(d(20), d(21), &[d(20)]), [d(20), d(21)]);
        assert_eq!(days(d(20), d(21), &[d(23)]), [d(20), d(21), d(23)]);
    }

    #[test]
    fn a_long_session_spans_the_rows_it_covers() {
        let rooms = vec!["Ballroom".to_owned(), "Room B".to_owned()];
        let slots = [
            slot(Some("Ballroom"), (15, 0), (17, 0)),
            slot(Some("Room B"), (15, 0), (16, 0)),
            slot(Some("Room B"), (16, 0), (17, 0)),
            slot(None, (17, 0), (18, 0)),
        ];
        let g = grid(&rooms, &slots);
        assert_eq!(
            g.columns,
            [Some("Ballroom".to_owned()), Some("Room B".to_owned())],
            "no column for a break"
        );
        assert_eq!(g.rows.len(), 3);
        let cell = |rowspan, sessions: &[usize]| Cell { rowspan, colspan: 1, sessions: sessions.to_vec() };
        assert_eq!(g.rows[0].cells, [cell(2, &[0]), cell(1, &[1])]);
        assert_eq!(g.rows[1].cells, [cell(1, &[2])]);
        assert_eq!(
            g.rows[2].cells,
            [Cell { rowspan: 1, colspan: 2, sessions: vec![3] }],
            "the break spans both"
        );
    }

    #[test]
    fn a_roomless_session_beside_others_gets_its_own_column() {
        let rooms = vec!["Ballroom".to_owned()];
        let slots = [
            slot(Some("Ballroom"), (15, 0), (16, 0)),
            slot(None, (15, 30), (16, 30)),
            slot(None, (17, 0), (17, 30)),
        ];
        let g = grid(&rooms, &slots);
        assert_eq!(g.columns, [Some("Ballroom".to_owned()), None]);
        let cell =
            |rowspan, colspan, sessions: &[usize]| Cell { rowspan, colspan, sessions: sessions.to_vec() };
        assert_eq!(g.rows[0].cells, [cell(2, 1, &[0]), cell(1, 1, &[])]);
        assert_eq!(g.rows[1].cells, [cell(1, 1, &[1])], "beside the Ballroom session, in its own column");
        assert_eq!(g.rows[2].cells, [cell(1, 2, &[2])], "a later break for everyone spans both");
    }

    #[test]
    fn a_day_of_breaks_only_has_one_column() {
        let slots = [slot(None, (15, 0), (16, 0))];
        let g = grid(&[], &slots);
        assert_eq!(g.columns, [None]);
        assert_eq!(g.rows[0].cells, [Cell { rowspan: 1, colspan: 1, sessions: vec![0] }]);
    }

    #[test]
    fn overlapping_sessions_in_one_room_share_a_cell() {
        let rooms = vec!["Ballroom".to_owned()];
        let slots = [slot(Some("Ballroom"), (15, 0), (17, 0)), slot(Some("Ballroom"), (16, 0), (18, 0))];
        let g = grid(&rooms, &slots);
        assert_eq!(g.rows[0].cells, [Cell { rowspan: 2, colspan: 1, sessions: vec![0, 1] }]);
        assert!(g.rows[1].cells.is_empty());
    }
}
