//! The rows and steps tests share, in one place: a small builder for each thing a test
//! puts in the database (`Account`, `Team`, `MeetingRow`, `Registration`, `Person`) and
//! the few shared journeys through the pages (creating a meeting, inviting, approving,
//! publishing an agenda). Feature files import from here and from `helpers`, never from
//! each other (`layout.rs` checks it).

mod accounts;
mod agenda;
mod api;
mod invitations;
mod mail;
mod materials;
mod meeting;
mod moved_database;
mod people;
mod proposals;
mod questions;
mod review;
mod signup;
mod team;

pub use accounts::{Account, known_recovery_codes, start_enrollment};
pub use agenda::{
    AGENDA, AMBER_CANARY, AgendaFixture, EDITOR, RED_CANARY, add_session, add_session_row, feed_path,
    organizer_feed_token, publish_agenda, schedule_token, speakers_of_session, utc, venue,
};
pub use api::{api_get, api_send, api_token, api_token_named, user_of_registration};
pub use invitations::{INVITEE, invite, registration_form};
pub use mail::{QUEUED_ICS, link_in_last_mail, queued_mail};
pub use materials::{material_rows, upload, upload_body};
pub use meeting::{COPENHAGEN_AUTUMN, MeetingRow, SLUG, create_meeting, meeting_form};
pub use moved_database::{
    DEMO_ATTENDEE, binary_material, connect, demo_feed_token, load_demo, material_bytes, served_feed,
    sqlite_file, sqlite_rows,
};
pub use people::{
    Attendee, Person, Registration, approved_attendee, meeting_and_team, pending, pending_registration,
    register, signed_in_attendee,
};
pub use proposals::{
    CALL, PROPOSALS, call_form, colleague, open_call, proposal_count, proposal_form, proposal_row, propose,
    speaker_count, team_of,
};
pub use questions::{add_question, stored_answers};
pub use review::{audit_actions, decide, registrations};
pub use signup::{BOB, CHOSEN, confirm_address, self_registration_form, verify_link};
pub use team::Team;
