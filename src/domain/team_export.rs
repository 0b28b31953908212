//! Writing the registry as the CSV file the team import reads (`/admin/teams.csv`): every
//! column the registry holds, each cell neutralised in the one way the import undoes
//! ([`neutralise_reversibly`]), so that importing the file into an empty registry and
//! exporting again gives the same bytes.

use super::{
    endorsement::write_contacts,
    spreadsheet::neutralise_reversibly,
    states::TeamStatus,
    team_import::{
        CAP_COLUMN, CONTACTS_COLUMN, EMAIL_DOMAINS_COLUMN, STATUS_COLUMN, UNCONFIRMED_DOMAINS_COLUMN,
    },
};

/// One team as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRow {
    pub name: String,
    pub short_name: String,
    pub country_code: String,
    pub website: String,
    pub status: TeamStatus,
    pub cap_override: Option<i32>,
    /// Each with whether it is confirmed.
    pub domains: Vec<(String, bool)>,
    /// The points of contact (name, address), in the registry's order.
    pub contacts: Vec<(String, String)>,
}

/// The file of `rows`, in the order given, domains sorted within each cell.
pub fn write(rows: &[RegistryRow]) -> csv::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "name",
        "short_name",
        "country_code",
        "website_domain",
        EMAIL_DOMAINS_COLUMN,
        UNCONFIRMED_DOMAINS_COLUMN,
        STATUS_COLUMN,
        CAP_COLUMN,
        CONTACTS_COLUMN,
    ])?;
    for r in rows {
        let listed = |confirmed: bool| {
            let mut domains: Vec<&str> =
                r.domains.iter().filter(|(_, c)| *c == confirmed).map(|(d, _)| d.as_str()).collect();
            domains.sort_unstable();
            domains.join(";")
        };
        let cells = [
            r.name.clone(),
            r.short_name.clone(),
            r.country_code.clone(),
            r.website.clone(),
            listed(true),
            listed(false),
            r.status.as_str().to_owned(),
            r.cap_override.map(|c| c.to_string()).unwrap_or_default(),
            write_contacts(r.contacts.iter().map(|(n, e)| (n.as_str(), e.as_str()))),
        ];
        out.write_record(cells.iter().map(|c| neutralise_reversibly(c)))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{team_domain::default_free_mail, team_import::parse};

    fn row(name: &str, short: &str, domains: &[(&str, bool)]) -> RegistryRow {
        RegistryRow {
            name: name.into(),
            short_name: short.into(),
            country_code: "AT".into(),
            website: "cert.at".into(),
            status: TeamStatus::Recognized,
            cap_override: None,
            domains: domains.iter().map(|(d, c)| ((*d).to_owned(), *c)).collect(),
            contacts: Vec::new(),
        }
    }

    #[test]
    fn a_written_registry_reads_back_with_every_column() {
        let mut suspended =
            row("=Österreich, \"CERT\"", "'+AT", &[("cert.at", true), ("b.cert-at.example", false)]);
        (suspended.status, suspended.cap_override) = (TeamStatus::Suspended, Some(7));
        suspended.contacts = vec![
            ("=Ana Novak".into(), "ana@cert.at".into()),
            ("Ben, \"the\" deputy".into(), "ben@cert.at".into()),
        ];
        let bare = row("No domains", "NONE", &[]);
        let file = write(&[suspended, bare]).expect("written");
        let text = String::from_utf8(file.clone()).expect("UTF-8");
        assert_eq!(
            text,
            "name,short_name,country_code,website_domain,email_domains,unconfirmed_email_domains,status,cap_override,contacts\n\
             \"'=Österreich, \"\"CERT\"\"\",''+AT,AT,cert.at,cert.at,b.cert-at.example,suspended,7,\"'=Ana Novak <ana@cert.at>;Ben, \"\"the\"\" deputy <ben@cert.at>\"\n\
             No domains,NONE,AT,cert.at,,,recognized,,\n"
        );
        let rows = parse(&file, &default_free_mail()).expect("accepted");
        assert_eq!(rows[0].name, "=Österreich, \"CERT\"");
        assert_eq!(rows[0].short_name, "'+AT");
        let domains: Vec<&str> = rows[0].email_domains.iter().map(|d| d.as_str()).collect();
        assert_eq!(domains, ["cert.at", "b.cert-at.example"]);
        let unconfirmed: Vec<&str> = rows[0].unconfirmed_domains.iter().map(|d| d.as_str()).collect();
        assert_eq!(unconfirmed, ["b.cert-at.example"]);
        assert_eq!((rows[0].status, rows[0].cap_override), (Some(TeamStatus::Suspended), Some(Some(7))));
        let contacts: Vec<String> =
            rows[0].contacts.as_ref().expect("the column").iter().map(|c| c.written()).collect();
        assert_eq!(contacts, ["=Ana Novak <ana@cert.at>", "Ben, \"the\" deputy <ben@cert.at>"]);
        assert_eq!(rows[1].contacts, Some(Vec::new()), "an empty cell: no contact");
        assert!(
            rows[1].email_domains.is_empty() && !rows[1].domains_derived,
            "nothing taken from the website"
        );
        assert_eq!((rows[1].status, rows[1].cap_override), (Some(TeamStatus::Recognized), Some(None)));
    }

    #[test]
    fn a_bad_status_or_cap_or_a_domain_in_both_columns_is_refused() {
        let file = "name,short_name,country_code,website_domain,email_domains,unconfirmed_email_domains,status,cap_override\n\
                    A,A,AT,a.example,a.example,a.example,gone,-1\n";
        let report = parse(file.as_bytes(), &default_free_mail()).expect_err("refused");
        assert_eq!(
            report.refused[0].reasons,
            [
                "status “gone” is neither recognized nor suspended.",
                "cap_override “-1” is not a whole number, 0 or more.",
                "unconfirmed_email_domains: a.example is listed as confirmed too; list it in one column."
            ]
        );
    }
}
