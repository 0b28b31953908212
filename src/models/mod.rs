//! Database queries, one file per table or aggregate. Functions take a connection and
//! return `QueryResult`; the caller owns the transaction.

pub mod outbox;
