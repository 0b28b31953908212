//! Pure rules of the product: no actix, no diesel, tested without a database.

pub mod agenda;
pub mod backoff;
<<<<<<< HEAD
pub mod carry;
=======
pub mod badge_name;
pub mod checkin;
>>>>>>> main
pub mod colocation;
pub mod email;
pub mod evidence;
pub mod first_conferences;
pub mod first_edition;
pub mod local_time;
pub mod markdown;
pub mod password;
pub mod privacy;
pub mod questions;
pub mod redact;
pub mod registration;
pub mod schedule;
pub mod security_event;
pub mod security_txt;
pub mod send_rate;
pub mod spreadsheet;
pub mod states;
pub mod team_domain;
pub mod team_import;
pub mod text;
pub mod tlp;
pub mod token;
pub mod totp;
pub mod user_agent;
pub mod words;
