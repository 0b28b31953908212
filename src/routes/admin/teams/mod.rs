//! `/admin/teams`: the registry of recognized national CSIRTs. The list with its search,
//! the team form, suspension, and the CSV import and export. The rules that need the database and
//! the import itself (shared with `csirt-meet import-teams`) are `models::team_registry`.

pub mod domains;
pub mod edit;
pub mod export;
pub(crate) mod form;
pub mod import;
pub mod list;
pub mod status;
mod view;
