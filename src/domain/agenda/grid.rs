//! The agenda grid of one day, scaled to time. Rows are steps of [`STEP_MINUTES`] on the
//! meeting's wall clock from the day's first start, so a 90-minute session covers three
//! times the rows of a 30-minute one, and a session at 09:00 sits on the 09:00 row on the
//! day the clocks change too. Each room is a column; sessions of one room that overlap (a
//! cancelled session and its replacement) take lanes side by side inside it, so no block
//! covers another; a session without a room that overlaps nothing (a break, lunch) spans
//! every column. Pages place the blocks with stylesheet classes, because the CSP forbids
//! inline styles: [`stylesheet`] writes a class for every row, height, lane and width
//! this module can give (`assets/agenda-grid.css`).

use std::fmt::Write as _;

use chrono::{Duration, NaiveDateTime, Timelike as _};
use chrono_tz::Tz;

use crate::domain::local_time::to_local;

/// One row of the grid.
pub const STEP_MINUTES: i64 = 5;
/// A whole day of rows: a session of the day starts less than a day after its first, and
/// one running past that is cut at the grid's end.
pub const MAX_ROWS: usize = 24 * 60 / STEP_MINUTES as usize;
/// The lanes side by side the stylesheet has classes for. A day that needs more is not
/// drawn as a grid (the page shows its list).
pub const MAX_LANES: usize = 24;

/// What the grid needs to know of a session. Times are UTC.
#[derive(Debug, Clone)]
pub struct Slot<'a> {
    pub room: Option<&'a str>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

/// A room's column: its lanes are `lane..lane + lanes`. `room` is `None` for the column
/// of sessions without a room that overlap others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub room: Option<String>,
    pub lane: usize,
    pub lanes: usize,
}

/// Where one session is drawn: rows `row..row + rows`, lanes `lane..lane + lanes` (rows and
/// lanes count from 0; the first column of the page, the times, is not a lane).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// The session: an index into the slots.
    pub slot: usize,
    pub row: usize,
    pub rows: usize,
    pub lane: usize,
    pub lanes: usize,
}

/// A time in the first column: where sessions start, down to the next such row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    pub row: usize,
    pub rows: usize,
    /// The earliest session starting on this row, whose start the label shows.
    pub slot: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// The wall-clock time of row 0.
    pub first: Option<NaiveDateTime>,
    pub rows: usize,
    pub lanes: usize,
    pub columns: Vec<Column>,
    /// In reading order: by row, then lane.
    pub blocks: Vec<Block>,
    pub ticks: Vec<Tick>,
    /// The rows at which a full hour begins on the wall clock.
    pub hours: Vec<usize>,
}

/// More sessions side by side than the stylesheet has lanes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{lanes} lanes side by side; the grid draws at most {MAX_LANES}")]
pub struct TooWide {
    pub lanes: usize,
}

const STEP_SECONDS: i64 = STEP_MINUTES * 60;

/// `t` down to the start of its step.
fn floor(t: NaiveDateTime) -> NaiveDateTime {
    let into = i64::from(t.minute()) % STEP_MINUTES * 60 + i64::from(t.second());
    t - Duration::seconds(into) - Duration::nanoseconds(i64::from(t.nanosecond()))
}

/// Whole steps from `first` to `t`, rounded down (`up`: rounded up), within `0..=MAX_ROWS`.
fn steps(first: NaiveDateTime, t: NaiveDateTime, up: bool) -> usize {
    let seconds = (t - first).num_seconds().max(0);
    let n = if up { (seconds + STEP_SECONDS - 1) / STEP_SECONDS } else { seconds / STEP_SECONDS };
    usize::try_from(n).unwrap_or(MAX_ROWS).min(MAX_ROWS)
}

/// Lays out one day's sessions; `rooms` gives the columns' order (rooms without a session
/// that day get none; a room the list lacks comes after those it has).
pub fn lay_out(rooms: &[String], slots: &[Slot<'_>], zone: Tz) -> Result<Grid, TooWide> {
    let local: Vec<(NaiveDateTime, NaiveDateTime)> =
        slots.iter().map(|s| (to_local(s.starts_at, zone), to_local(s.ends_at, zone))).collect();
    let Some(first) = local.iter().map(|(start, _)| *start).min().map(floor) else {
        return Ok(Grid {
            first: None,
            rows: 0,
            lanes: 0,
            columns: Vec::new(),
            blocks: Vec::new(),
            ticks: Vec::new(),
            hours: Vec::new(),
        });
    };
    // Rows on the wall clock: an end before its start (the hour the clocks go back) still
    // gets one row.
    let spans: Vec<(usize, usize)> = local
        .iter()
        .map(|&(start, end)| {
            let row = steps(first, start, false).min(MAX_ROWS - 1);
            (row, steps(first, end, true).clamp(row + 1, MAX_ROWS))
        })
        .collect();
    let overlaps = |i: usize, j: usize| spans[i].0 < spans[j].1 && spans[j].0 < spans[i].1;
    let for_everyone =
        |i: usize| slots[i].room.is_none() && !(0..slots.len()).any(|j| j != i && overlaps(i, j));

    let mut names: Vec<Option<&str>> = rooms
        .iter()
        .map(String::as_str)
        .filter(|r| slots.iter().any(|s| s.room == Some(*r)))
        .map(Some)
        .collect();
    for s in slots {
        if s.room.is_some() && !names.contains(&s.room) {
            names.push(s.room);
        }
    }
    if names.is_empty() || (0..slots.len()).any(|i| slots[i].room.is_none() && !for_everyone(i)) {
        names.push(None);
    }

    // Per column, each session's lane inside it: the first lane free by its start row. A
    // session for everyone takes no lane: it spans them all.
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_by_key(|&i| (spans[i].0, slots[i].starts_at, i));
    let mut lane_of = vec![None; slots.len()];
    let mut columns = Vec::with_capacity(names.len());
    let mut next_lane = 0;
    for name in &names {
        let mut ends: Vec<usize> = Vec::new();
        for &i in &order {
            if slots[i].room != *name || for_everyone(i) {
                continue;
            }
            let (row, end) = spans[i];
            let lane = match ends.iter().position(|&e| e <= row) {
                Some(free) => free,
                None => {
                    ends.push(0);
                    ends.len() - 1
                }
            };
            ends[lane] = end;
            lane_of[i] = Some(next_lane + lane);
        }
        let lanes = ends.len().max(1);
        columns.push(Column { room: name.map(str::to_owned), lane: next_lane, lanes });
        next_lane += lanes;
    }
    let lanes = next_lane;
    if lanes > MAX_LANES {
        return Err(TooWide { lanes });
    }

    let mut blocks: Vec<Block> = (0..slots.len())
        .map(|i| {
            let (row, end) = spans[i];
            let (lane, width) = match lane_of[i] {
                Some(lane) => (lane, 1),
                None => (0, lanes),
            };
            Block { slot: i, row, rows: end - row, lane, lanes: width }
        })
        .collect();
    blocks.sort_by_key(|b| (b.row, b.lane, b.slot));

    let rows = spans.iter().map(|&(_, end)| end).max().unwrap_or(1);
    let mut starts: Vec<usize> = order.iter().map(|&i| spans[i].0).collect();
    starts.dedup();
    let ticks = starts
        .iter()
        .enumerate()
        .map(|(k, &row)| Tick {
            row,
            rows: starts.get(k + 1).copied().unwrap_or(rows) - row,
            slot: order.iter().copied().find(|&i| spans[i].0 == row).unwrap_or(0),
        })
        .collect();
    let hours =
        (0..rows).filter(|&r| (first + Duration::minutes(STEP_MINUTES * r as i64)).minute() == 0).collect();
    Ok(Grid { first: Some(first), rows, lanes, columns, blocks, ticks, hours })
}

/// The stylesheet classes of rows `row..row + rows`: `tl-r{row}` (the first) and
/// `tl-h{rows}` (how many).
pub fn row_classes(row: usize, rows: usize) -> String {
    format!("tl-r{row} tl-h{rows}")
}

/// The classes of lanes `lane..lane + lanes`: `tl-c{lane}` and `tl-w{lanes}`. The grid
/// itself takes `tl-n{lanes}`, its number of lanes.
pub fn lane_classes(lane: usize, lanes: usize) -> String {
    format!("tl-c{lane} tl-w{lanes}")
}

/// The generated part of `assets/agenda-grid.css`: a class for every row, height, lane,
/// width and lane count [`lay_out`] can give. Line 1 of the grid is the rooms' headings,
/// column 1 the times.
pub fn stylesheet() -> String {
    let mut css = String::from(
        "/* Generated by domain::agenda::grid::stylesheet (its unit test checks this file):\n   \
         change the code, not these lines. */\n",
    );
    for n in 1..=MAX_LANES {
        let _ = writeln!(
            css,
            ".tl-n{n}{{grid-template-columns:var(--tl-times) repeat({n},minmax(var(--tl-lane),1fr))}}"
        );
    }
    for r in 0..MAX_ROWS {
        let _ = writeln!(css, ".tl-r{r}{{grid-row-start:{}}}", r + 2);
    }
    for h in 1..=MAX_ROWS {
        let _ = writeln!(css, ".tl-h{h}{{grid-row-end:span {h}}}");
    }
    for c in 0..MAX_LANES {
        let _ = writeln!(css, ".tl-c{c}{{grid-column-start:{}}}", c + 2);
    }
    for w in 1..=MAX_LANES {
        let _ = writeln!(css, ".tl-w{w}{{grid-column-end:span {w}}}");
    }
    css
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;

    const UTC: Tz = chrono_tz::UTC;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .expect("date")
            .and_time(NaiveTime::from_hms_opt(h, min, 0).expect("time"))
    }

    /// A session on 20 June 2026 from `from` to `to` (hours and minutes).
    fn slot(room: Option<&str>, from: (u32, u32), to: (u32, u32)) -> Slot<'_> {
        Slot { room, starts_at: at(2026, 6, 20, from.0, from.1), ends_at: at(2026, 6, 20, to.0, to.1) }
    }

    fn rooms(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    fn block(g: &Grid, slot: usize) -> Block {
        *g.blocks.iter().find(|b| b.slot == slot).expect("every session has a block")
    }

    /// No two blocks cover the same row of the same lane, and each stays inside the grid.
    fn assert_nothing_covers_another(g: &Grid) {
        for (k, a) in g.blocks.iter().enumerate() {
            assert!(a.rows >= 1 && a.row + a.rows <= g.rows && a.lane + a.lanes <= g.lanes, "{a:?} in {g:?}");
            for b in &g.blocks[k + 1..] {
                let rows = a.row < b.row + b.rows && b.row < a.row + a.rows;
                let lanes = a.lane < b.lane + b.lanes && b.lane < a.lane + a.lanes;
                assert!(!(rows && lanes), "{a:?} and {b:?} cover each other");
            }
        }
    }

    #[test]
    fn a_90_minute_session_spans_three_times_the_rows_of_a_30_minute_one() {
        let slots = [slot(Some("Ballroom"), (9, 0), (9, 30)), slot(Some("Ballroom"), (9, 30), (11, 0))];
        let g = lay_out(&rooms(&["Ballroom"]), &slots, UTC).expect("laid out");
        let (short, long) = (block(&g, 0), block(&g, 1));
        assert_eq!((short.row, short.rows), (0, 6), "30 minutes are six steps of five");
        assert_eq!((long.row, long.rows), (6, 18));
        assert_eq!(long.rows, 3 * short.rows);
        assert_eq!((g.rows, g.lanes), (24, 1));
        assert_eq!(g.first, Some(at(2026, 6, 20, 9, 0)));
    }

    #[test]
    fn parallel_sessions_in_two_rooms_sit_side_by_side_at_the_same_rows() {
        let slots = [
            slot(Some("Room B"), (9, 0), (10, 0)),
            slot(Some("Ballroom"), (9, 0), (10, 30)),
            slot(Some("Room B"), (10, 0), (10, 30)),
        ];
        let g = lay_out(&rooms(&["Ballroom", "Room B", "Empty room"]), &slots, UTC).expect("laid out");
        assert_eq!(
            g.columns,
            [
                Column { room: Some("Ballroom".into()), lane: 0, lanes: 1 },
                Column { room: Some("Room B".into()), lane: 1, lanes: 1 },
            ],
            "the organizers' order, no column for a room without a session"
        );
        let (b, ball, b2) = (block(&g, 0), block(&g, 1), block(&g, 2));
        assert_eq!((ball.row, ball.lane), (0, 0));
        assert_eq!((b.row, b.lane), (0, 1), "beside the Ballroom, on the same row");
        assert_eq!((b2.row, b2.rows, b2.lane), (12, 6, 1), "back to back below it, in its room");
        let order: Vec<usize> = g.blocks.iter().map(|b| b.slot).collect();
        assert_eq!(order, [1, 0, 2], "reading order: by time, then room");
        assert_nothing_covers_another(&g);
    }

    #[test]
    fn overlapping_sessions_in_one_room_take_lanes_side_by_side() {
        let slots = [
            slot(Some("Ballroom"), (9, 0), (11, 0)),
            slot(Some("Ballroom"), (10, 0), (12, 0)),
            slot(Some("Ballroom"), (11, 0), (11, 30)),
            slot(Some("Room B"), (9, 0), (10, 0)),
        ];
        let g = lay_out(&rooms(&["Ballroom", "Room B"]), &slots, UTC).expect("laid out");
        assert_eq!(g.columns[0], Column { room: Some("Ballroom".into()), lane: 0, lanes: 2 });
        assert_eq!(g.columns[1], Column { room: Some("Room B".into()), lane: 2, lanes: 1 });
        assert_eq!(
            [block(&g, 0).lane, block(&g, 1).lane, block(&g, 2).lane],
            [0, 1, 0],
            "the first lane free again"
        );
        assert_eq!(block(&g, 3).lane, 2);
        assert_nothing_covers_another(&g);
    }

    #[test]
    fn times_between_steps_round_outwards_and_never_overlap_their_neighbours() {
        let slots = [
            slot(Some("Ballroom"), (9, 2), (9, 58)),
            slot(Some("Ballroom"), (9, 58), (10, 30)),
            slot(Some("Ballroom"), (10, 30), (10, 31)),
        ];
        let g = lay_out(&rooms(&["Ballroom"]), &slots, UTC).expect("laid out");
        assert_eq!(g.first, Some(at(2026, 6, 20, 9, 0)), "the first row starts on a step");
        let (a, b, c) = (block(&g, 0), block(&g, 1), block(&g, 2));
        assert_eq!((a.row, a.rows), (0, 12), "09:00 to 10:00: covers what it holds");
        assert_eq!((b.lane, a.lane), (1, 0), "rounded, the two share the 09:55 row: side by side");
        assert_eq!((c.row, c.rows, c.lane), (18, 1, 0), "a minute still gets a row");
        assert_nothing_covers_another(&g);
    }

    #[test]
    fn a_break_for_everyone_spans_every_lane() {
        let slots = [
            slot(Some("Ballroom"), (9, 0), (10, 0)),
            slot(Some("Ballroom"), (9, 30), (10, 0)),
            slot(Some("Room B"), (9, 0), (10, 0)),
            slot(None, (10, 0), (10, 30)),
        ];
        let g = lay_out(&rooms(&["Ballroom", "Room B"]), &slots, UTC).expect("laid out");
        assert_eq!(g.columns.len(), 2, "no column for the break");
        assert_eq!(g.lanes, 3);
        let coffee = block(&g, 3);
        assert_eq!((coffee.row, coffee.rows, coffee.lane, coffee.lanes), (12, 6, 0, 3));
        assert_nothing_covers_another(&g);
    }

    #[test]
    fn a_roomless_session_beside_others_gets_its_own_column() {
        let slots = [
            slot(Some("Ballroom"), (15, 0), (16, 0)),
            slot(None, (15, 30), (16, 30)),
            slot(None, (17, 0), (17, 30)),
        ];
        let g = lay_out(&rooms(&["Ballroom"]), &slots, UTC).expect("laid out");
        assert_eq!(g.columns.iter().map(|c| c.room.as_deref()).collect::<Vec<_>>(), [Some("Ballroom"), None]);
        assert_eq!((block(&g, 1).lane, block(&g, 1).lanes), (1, 1), "beside the Ballroom session");
        assert_eq!((block(&g, 2).lane, block(&g, 2).lanes), (0, 2), "a later break for everyone spans both");
        assert_nothing_covers_another(&g);
    }

    #[test]
    fn a_day_of_breaks_only_has_one_column() {
        let g = lay_out(&[], &[slot(None, (15, 0), (16, 0))], UTC).expect("laid out");
        assert_eq!(g.columns, [Column { room: None, lane: 0, lanes: 1 }]);
        assert_eq!(block(&g, 0), Block { slot: 0, row: 0, rows: 12, lane: 0, lanes: 1 });
    }

    #[test]
    fn a_day_without_sessions_has_no_rows() {
        let g = lay_out(&rooms(&["Ballroom"]), &[], UTC).expect("laid out");
        assert_eq!((g.first, g.rows, g.lanes), (None, 0, 0));
        assert!(g.blocks.is_empty() && g.columns.is_empty() && g.ticks.is_empty());
    }

    #[test]
    fn times_label_the_rows_where_sessions_start_and_full_hours_are_marked() {
        let slots = [
            slot(Some("Room B"), (9, 30), (10, 0)),
            slot(Some("Ballroom"), (8, 45), (10, 0)),
            slot(Some("Ballroom"), (10, 0), (11, 15)),
            slot(Some("Room B"), (10, 0), (10, 30)),
        ];
        let g = lay_out(&rooms(&["Ballroom", "Room B"]), &slots, UTC).expect("laid out");
        assert_eq!(
            g.ticks,
            [
                Tick { row: 0, rows: 9, slot: 1 },
                Tick { row: 9, rows: 6, slot: 0 },
                Tick { row: 15, rows: 15, slot: 2 },
            ],
            "08:45, 09:30 and 10:00, the last down to the grid's end at 11:15"
        );
        assert_eq!(g.hours, [3, 15, 27], "09:00, 10:00 and 11:00");
    }

    /// Copenhagen, 25 October 2026: at 03:00 CEST the clocks go back to 02:00 CET, so the
    /// day has 25 hours. A session at 09:00 CET is 7.5 wall-clock hours after one at 01:30
    /// CEST (8.5 hours in UTC): its row follows the wall clock.
    #[test]
    fn a_day_across_the_autumn_change_keeps_wall_clock_rows() {
        let cph = chrono_tz::Europe::Copenhagen;
        let slots = [
            // 01:30–02:00 CEST.
            Slot { room: Some("Hall"), starts_at: at(2026, 10, 24, 23, 30), ends_at: at(2026, 10, 25, 0, 0) },
            // 09:00–10:30 CET.
            Slot { room: Some("Hall"), starts_at: at(2026, 10, 25, 8, 0), ends_at: at(2026, 10, 25, 9, 30) },
            // 09:00–09:30 CET, in another room.
            Slot { room: Some("Annex"), starts_at: at(2026, 10, 25, 8, 0), ends_at: at(2026, 10, 25, 8, 30) },
        ];
        let g = lay_out(&rooms(&["Hall", "Annex"]), &slots, cph).expect("laid out");
        assert_eq!(g.first, Some(at(2026, 10, 25, 1, 30)), "row 0 is 01:30 on the wall clock");
        let (night, long, short) = (block(&g, 0), block(&g, 1), block(&g, 2));
        assert_eq!((night.row, night.rows), (0, 6));
        assert_eq!(long.row, 90, "09:00 is 7 h 30 on the wall clock after 01:30 (8 h 30 in UTC)");
        assert_eq!((short.row, short.lane), (90, 1), "side by side at 09:00");
        assert_eq!(long.rows, 3 * short.rows);
        assert!(
            g.hours.contains(&6) && g.hours.contains(&90),
            "02:00 and 09:00 are hour rows: {:?}",
            g.hours
        );
    }

    /// Denver, 8 March 2026: 02:00 MST becomes 03:00 MDT. A session from 01:30 MST to 03:30
    /// MDT lasts an hour but covers the wall clock's two; 09:00 MDT stays on the 09:00 row.
    #[test]
    fn a_day_across_the_spring_change_keeps_wall_clock_rows() {
        let denver = chrono_tz::America::Denver;
        let slots = [
            Slot { room: Some("Hall"), starts_at: at(2026, 3, 8, 8, 30), ends_at: at(2026, 3, 8, 9, 30) },
            Slot { room: Some("Hall"), starts_at: at(2026, 3, 8, 15, 0), ends_at: at(2026, 3, 8, 15, 30) },
        ];
        let g = lay_out(&rooms(&["Hall"]), &slots, denver).expect("laid out");
        assert_eq!(g.first, Some(at(2026, 3, 8, 1, 30)));
        assert_eq!((block(&g, 0).row, block(&g, 0).rows), (0, 24), "01:30 to 03:30 on the wall clock");
        assert_eq!(block(&g, 1).row, 90, "09:00 is 7 h 30 on the wall clock after 01:30 (6 h 30 in UTC)");
        assert_nothing_covers_another(&g);
    }

    #[test]
    fn a_session_past_midnight_is_cut_at_a_days_rows() {
        let slots = [
            Slot { room: Some("Hall"), starts_at: at(2026, 6, 20, 0, 0), ends_at: at(2026, 6, 20, 0, 30) },
            Slot { room: Some("Hall"), starts_at: at(2026, 6, 20, 23, 30), ends_at: at(2026, 6, 21, 2, 0) },
        ];
        let g = lay_out(&rooms(&["Hall"]), &slots, UTC).expect("laid out");
        assert_eq!((block(&g, 1).row, block(&g, 1).rows), (282, 6), "cut at the 24th hour");
        assert_eq!(g.rows, MAX_ROWS);
    }

    #[test]
    fn more_lanes_than_the_stylesheet_has_are_refused() {
        let names: Vec<String> = (0..=MAX_LANES).map(|n| format!("Room {n}")).collect();
        let slots: Vec<Slot<'_>> = names.iter().map(|n| slot(Some(n), (9, 0), (10, 0))).collect();
        assert_eq!(lay_out(&names, &slots, UTC), Err(TooWide { lanes: MAX_LANES + 1 }));
        assert!(lay_out(&names[..MAX_LANES], &slots[..MAX_LANES], UTC).is_ok());
    }

    #[test]
    fn every_class_a_grid_can_use_is_in_the_stylesheet() {
        let css = stylesheet();
        for (row, rows, lane, lanes) in [(0, 1, 0, 1), (MAX_ROWS - 1, MAX_ROWS, MAX_LANES - 1, MAX_LANES)] {
            for class in format!("{} {}", row_classes(row, rows), lane_classes(lane, lanes)).split(' ') {
                assert!(css.contains(&format!("\n.{class}{{")), "{class}");
            }
        }
        assert!(css.contains("\n.tl-n24{grid-template-columns:"));
        assert!(css.contains("\n.tl-r0{grid-row-start:2}"), "line 1 holds the rooms' headings");
        assert!(css.contains("\n.tl-c0{grid-column-start:2}"), "column 1 holds the times");
        assert!(!css.contains(".tl-r288{") && !css.contains(".tl-c24{"));
    }

    /// The stylesheet served is the one the code writes. To write it again after a change:
    /// `WRITE_AGENDA_GRID_CSS=1 cargo test --lib domain::agenda::grid`.
    #[test]
    fn the_served_stylesheet_ends_with_the_generated_classes() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/agenda-grid.css");
        let file = std::fs::read_to_string(path).expect("assets/agenda-grid.css");
        let marker = "/* Generated by domain::agenda::grid::stylesheet";
        let own = &file[..file.find(marker).expect("the generated part")];
        if std::env::var_os("WRITE_AGENDA_GRID_CSS").is_some() {
            std::fs::write(path, format!("{own}{}", stylesheet())).expect("written");
            return;
        }
        assert!(
            file.ends_with(&stylesheet()),
            "assets/agenda-grid.css is not what domain::agenda::grid::stylesheet writes; \
             run WRITE_AGENDA_GRID_CSS=1 cargo test --lib domain::agenda::grid"
        );
    }
}
