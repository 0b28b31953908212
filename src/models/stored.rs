//! How the domain's word sets live in the database: as TEXT on both backends (no migration,
//! no database enum), read and written through diesel's `FromSql`/`ToSql`, so rows carry
//! `Status`, `Role`, `Tlp`… and queries filter with them (`.eq(Status::Approved)`).
//!
//! One policy for a stored word the code does not know (a hand edit, a downgrade): the
//! read fails, so the handler answers 500 and the log names the column and the word
//! ([`UnknownStored`]). The one exception is a TLP label, which counts as TLP:RED
//! ([`Tlp::stored`]): a session is then shown as carefully as possible rather than not at
//! all.

use std::str::FromStr;

use diesel::{
    backend::Backend,
    deserialize::{self, FromSql, Queryable},
    expression::AsExpression,
    // The bind value `#[derive(AsExpression)]` expands to. The derive itself cannot be used:
    // the enums live in `domain`, which knows nothing of diesel.
    internal::derives::as_expression::Bound,
    serialize::{self, Output, ToSql},
    sql_types::Text,
};

use crate::domain::{
    agenda::{Colour, Kind, SessionStatus},
    api_token::Scope as ApiScope,
    endorsement::{Answer as EndorsementAnswer, Mode as EndorsementMode},
    feedback::QuestionPurpose,
    material::FileKind,
    proposal::State as ProposalState,
    questions::QuestionKind,
    registration::Status,
    security_event::Event,
    states::{FeedScope, InviteChoice, MailStatus, MeetingStatus, Purpose, Role, TeamStatus},
    tlp::Tlp,
    words::UnknownWord,
};

/// A stored word that names no member of its set: the read of the row fails.
#[derive(Debug, thiserror::Error)]
#[error("{columns} holds a word this version does not know")]
pub struct UnknownStored {
    /// Where such words are stored: "registrations.status".
    pub columns: &'static str,
    #[source]
    pub word: UnknownWord,
}

/// Reads a word of a set that must know it, stored in `columns`.
fn strict<T: FromStr<Err = UnknownWord>>(columns: &'static str) -> impl Fn(&str) -> deserialize::Result<T> {
    move |raw| raw.parse().map_err(|word| Box::new(UnknownStored { columns, word }).into())
}

/// Implements, for each word set, reading it from TEXT with the given reader, writing its
/// stored word, and using it (or a reference to it) as a TEXT value in queries.
macro_rules! stored_as_text {
    ($($ty:ty => $read:expr;)+) => {$(
        impl<DB> FromSql<Text, DB> for $ty
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let raw = String::from_sql(bytes)?;
                ($read)(&raw)
            }
        }

        impl<DB> Queryable<Text, DB> for $ty
        where
            DB: Backend,
            Self: FromSql<Text, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl<DB> ToSql<Text, DB> for $ty
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl AsExpression<Text> for $ty {
            type Expression = Bound<Text, Self>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Text> for &'a $ty {
            type Expression = Bound<Text, Self>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }
    )+};
}

stored_as_text! {
    Role => strict("users.role");
    Purpose => strict("one_time_tokens.purpose");
    TeamStatus => strict("teams.status");
    MeetingStatus => strict("meetings.status");
    Status => strict("registrations.status");
    Kind => strict("sessions.kind or released_sessions.kind");
    SessionStatus => strict("sessions.status or released_sessions.status");
    Colour => strict("tracks.colour or released_sessions.track_colour");
    FeedScope => strict("calendar_settings.feed_scope");
    InviteChoice => strict("calendar_settings.session_invites");
    MailStatus => strict("outbox.status");
    Event => strict("security_log.event");
    QuestionKind => strict("questions.kind");
    ProposalState => strict("proposals.state");
    QuestionPurpose => strict("questions.purpose");
    FileKind => strict("materials.kind");
    ApiScope => strict("api_tokens.scope");
    EndorsementMode => strict("meetings.endorsement");
    EndorsementAnswer => strict("endorsement_requests.answer");
    Tlp => |raw: &str| Ok(Tlp::stored(raw));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_stored_word_names_its_column_and_the_word() {
        let err = strict::<Status>("registrations.status")("archived").expect_err("unknown");
        assert_eq!(err.to_string(), "registrations.status holds a word this version does not know");
        let cause = err.source().map(ToString::to_string);
        assert_eq!(cause.as_deref(), Some("“archived” is not a registration status."));
        assert_eq!(strict::<Status>("registrations.status")("approved").ok(), Some(Status::Approved));
    }

    /// Reads `word` as a stored TEXT value through diesel (SQLite in memory).
    fn read<T>(word: &str) -> diesel::QueryResult<T>
    where
        T: FromSql<Text, diesel::sqlite::Sqlite> + 'static,
        T: Queryable<Text, diesel::sqlite::Sqlite, Row = T>,
    {
        use diesel::{Connection as _, RunQueryDsl as _};
        let mut conn = diesel::SqliteConnection::establish(":memory:").expect("in memory");
        diesel::select(diesel::dsl::sql::<Text>("").bind::<Text, _>(word.to_owned()))
            .get_result::<T>(&mut conn)
    }

    #[test]
    fn a_stored_word_reads_back_as_its_member_through_the_database() {
        assert_eq!(read::<Status>("waitlisted").ok(), Some(Status::Waitlisted));
        assert_eq!(read::<Role>("organizer").ok(), Some(Role::Organizer));
        assert_eq!(read::<Tlp>("TLP:AMBER+STRICT").ok(), Some(Tlp::AmberStrict));
        let err = read::<MailStatus>("queued").expect_err("unknown");
        let chain = format!("{err} / {:?}", err);
        assert!(chain.contains("outbox.status") && chain.contains("queued"), "{chain}");
    }

    #[test]
    fn an_unknown_stored_tlp_label_reads_as_red() {
        for word in ["TLP:WHITE", "tlp:red", ""] {
            assert_eq!(read::<Tlp>(word).ok(), Some(Tlp::Red), "{word:?}");
        }
    }
}
