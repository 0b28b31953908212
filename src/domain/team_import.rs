//! Reading the registry of national CSIRTs from a CSV file: all rows or none, with every
//! problem reported by line so the organizer can fix the file in one pass.
//!
//! Besides the required columns, a file may carry `email_domains` (confirmed, `;`
//! between them) and the columns `/admin/teams.csv` writes so that the registry reads back
//! unchanged: `unconfirmed_email_domains`, `status` (recognized or suspended; empty keeps
//! the team's) and `cap_override` (a whole number; empty: the meeting's default). A file
//! with the `unconfirmed_email_domains` column states every domain and its state: nothing
//! is taken from the website. Every cell is read as [`restore`] gives it, so a cell the
//! export or a spreadsheet protected with a leading apostrophe reads as its value.
//!
//! The optional `contacts` column holds the team's points of contact, `Name <address>`
//! items separated by `;` (`domain::endorsement::parse_contacts`); with the column, the
//! file states them all (an empty cell: none); without it, an update keeps the team's.

use std::{collections::HashMap, fmt};

use super::{
    endorsement::{Contact, parse_contacts},
    spreadsheet::restore,
    states::TeamStatus,
    team_domain::{self, DomainError, TeamDomain},
    text,
};

/// Columns a file must have, found by header name (case and surrounding spaces ignored).
pub const REQUIRED_COLUMNS: [&str; 4] = ["name", "short_name", "country_code", "website_domain"];
/// The optional column of `;`-separated email domains.
pub const EMAIL_DOMAINS_COLUMN: &str = "email_domains";
/// The optional column of `;`-separated email domains stored unconfirmed.
pub const UNCONFIRMED_DOMAINS_COLUMN: &str = "unconfirmed_email_domains";
/// The optional column of the team's status word.
pub const STATUS_COLUMN: &str = "status";
/// The optional column of the team's own cap.
pub const CAP_COLUMN: &str = "cap_override";
/// The optional column of the team's points of contact.
pub const CONTACTS_COLUMN: &str = "contacts";

/// One accepted team, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    /// Where the row starts in the file, counting the header as line 1.
    pub line: usize,
    pub name: String,
    pub short_name: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country_code: String,
    /// The website's host name, normalized.
    pub website: String,
    /// Every email domain of the row, the unconfirmed ones too.
    pub email_domains: Vec<TeamDomain>,
    /// Those of `email_domains` listed as unconfirmed.
    pub unconfirmed_domains: Vec<TeamDomain>,
    /// The file has the `unconfirmed_email_domains` column: it states the state of every
    /// domain (listed confirmed or unconfirmed), and nothing was taken from the website.
    pub domains_stated: bool,
    /// The status to set; `None` keeps the team's (a new team is recognized).
    pub status: Option<TeamStatus>,
    /// The cap to set (`Some(None)`: the meeting's default); `None` (no such column) keeps
    /// the team's.
    pub cap_override: Option<Option<i32>>,
    /// The team's points of contact; `None` (no such column) keeps the team's.
    pub contacts: Option<Vec<Contact>>,
    /// No email domain was listed and `email_domains` holds the website's: stored
    /// unconfirmed (a website may be a broad portal such as `argentina.gob.ar`), so it lets
    /// nobody self-register until an organizer confirms it.
    pub domains_derived: bool,
    /// Something the organizer should know about an accepted row.
    pub note: Option<String>,
}

/// A row that was refused, with every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRow {
    pub line: usize,
    /// Empty when the row has none (or for a problem with the header).
    pub short_name: String,
    pub reasons: Vec<String>,
}

/// Why a file was refused as a whole. Nothing from it is imported.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub refused: Vec<RefusedRow>,
    pub missing_columns: Vec<String>,
}

/// Parses a whole file. Any refused row refuses the file: the report then lists every
/// refused row and every reason, and no team is returned.
pub fn parse(input: &[u8], free_mail: &[String]) -> Result<Vec<TeamRow>, ImportReport> {
    // Fields are decoded here rather than by the csv crate so that a line that is not
    // UTF-8 becomes one refused row instead of stopping the read.
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut records = reader.byte_records();
    let mut report = ImportReport::default();
    let mut lines = LineCounter { input, offset: 0, line: 1 };

    let columns = match records.next() {
        Some(Ok(header)) => Columns::find(&header, lines.line_of(header.position()))?,
        Some(Err(err)) => {
            report.refused.push(RefusedRow {
                line: lines.line_of(err.position()),
                short_name: String::new(),
                reasons: vec![err.to_string()],
            });
            return Err(report);
        }
        None => {
            report.missing_columns = REQUIRED_COLUMNS.iter().map(|column| (*column).to_owned()).collect();
            return Err(report);
        }
    };

    let mut rows = Vec::new();
    // Lowercased short name → the line that first used it.
    let mut short_names: HashMap<String, usize> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = lines.line_of(err.position());
                report.refused.push(RefusedRow {
                    line,
                    short_name: String::new(),
                    reasons: vec![err.to_string()],
                });
                continue;
            }
        };
        let line = lines.line_of(record.position());
        if record.iter().all(|field| field.trim_ascii().is_empty()) {
            // Spreadsheets often save trailing rows of empty cells.
            continue;
        }
        match columns.check_row(line, &record, free_mail, &mut short_names) {
            Ok(row) => rows.push(row),
            Err(refused) => report.refused.push(refused),
        }
    }

    if report.refused.is_empty() { Ok(rows) } else { Err(report) }
}

/// Whether `code` is an ISO 3166-1 alpha-2 code (upper case), or `XK` (Kosovo).
pub fn is_country_code(code: &str) -> bool {
    COUNTRY_CODES.binary_search(&code).is_ok()
}

/// Where each column sits in a record.
struct Columns {
    width: usize,
    name: usize,
    short_name: usize,
    country_code: usize,
    website_domain: usize,
    email_domains: Option<usize>,
    unconfirmed_domains: Option<usize>,
    status: Option<usize>,
    cap: Option<usize>,
    contacts: Option<usize>,
}

impl Columns {
    fn find(header: &csv::ByteRecord, line: usize) -> Result<Columns, ImportReport> {
        let names: Vec<String> =
            header.iter().map(|field| String::from_utf8_lossy(field).trim().to_lowercase()).collect();
        let mut report = ImportReport::default();
        let mut header_reasons = Vec::new();
        let mut position_of = |column: &str| {
            let mut found =
                names.iter().enumerate().filter(|(_, name)| *name == column).map(|(index, _)| index);
            let first = found.next();
            if found.next().is_some() {
                header_reasons.push(format!("The column {column} appears more than once."));
            }
            first
        };
        let required: Vec<Option<usize>> =
            REQUIRED_COLUMNS.iter().map(|column| position_of(column)).collect();
        let email_domains = position_of(EMAIL_DOMAINS_COLUMN);
        let unconfirmed_domains = position_of(UNCONFIRMED_DOMAINS_COLUMN);
        let (status, cap) = (position_of(STATUS_COLUMN), position_of(CAP_COLUMN));
        let contacts = position_of(CONTACTS_COLUMN);
        report.missing_columns = REQUIRED_COLUMNS
            .iter()
            .zip(&required)
            .filter(|(_, index)| index.is_none())
            .map(|(column, _)| (*column).to_owned())
            .collect();
        if !header_reasons.is_empty() {
            report.refused.push(RefusedRow { line, short_name: String::new(), reasons: header_reasons });
        }
        match required[..] {
            [Some(name), Some(short_name), Some(country_code), Some(website_domain)]
                if report.refused.is_empty() =>
            {
                Ok(Columns {
                    width: names.len(),
                    name,
                    short_name,
                    country_code,
                    website_domain,
                    email_domains,
                    unconfirmed_domains,
                    status,
                    cap,
                    contacts,
                })
            }
            _ => Err(report),
        }
    }

    fn check_row(
        &self,
        line: usize,
        record: &csv::ByteRecord,
        free_mail: &[String],
        short_names: &mut HashMap<String, usize>,
    ) -> Result<TeamRow, RefusedRow> {
        let mut reasons = Vec::new();
        // Lossy only until the UTF-8 check below: the short name still labels a refused row.
        let field = |index: usize| {
            record
                .get(index)
                .map(|bytes| restore(String::from_utf8_lossy(bytes).trim()).to_owned())
                .unwrap_or_default()
        };
        let short_name = field(self.short_name);

        if record.len() != self.width {
            reasons.push(format!(
                "The line has {} fields where the header has {}; put a value that contains a comma \
                 in double quotes.",
                record.len(),
                self.width
            ));
            return Err(RefusedRow { line, short_name, reasons });
        }
        if record.iter().any(|bytes| std::str::from_utf8(bytes).is_err()) {
            reasons.push("The line is not valid UTF-8; save the file with the UTF-8 encoding.".to_owned());
            return Err(RefusedRow { line, short_name, reasons });
        }

        let name = field(self.name);
        let country_code = field(self.country_code).to_ascii_uppercase();
        let website = field(self.website_domain);
        let email_domains_raw = self.email_domains.map(field).unwrap_or_default();
        let unconfirmed_raw = self.unconfirmed_domains.map(field).unwrap_or_default();
        let status = match self.status.map(field).filter(|s| !s.is_empty()) {
            None => None,
            Some(word) => match word.to_lowercase().parse::<TeamStatus>() {
                Ok(status) => Some(status),
                Err(_) => {
                    reasons.push(format!("status “{word}” is neither recognized nor suspended."));
                    None
                }
            },
        };
        let cap_override = self.cap.map(field).map(|cap| match cap.parse::<i32>() {
            _ if cap.is_empty() => None,
            Ok(n) if n >= 0 => Some(n),
            _ => {
                reasons.push(format!("cap_override “{cap}” is not a whole number, 0 or more."));
                None
            }
        });

        let contacts = self.contacts.map(field).map(|cell| {
            parse_contacts(&cell).unwrap_or_else(|refused| {
                reasons.extend(refused.iter().map(|e| format!("{CONTACTS_COLUMN}: {e}")));
                Vec::new()
            })
        });

        for (column, value) in [
            ("name", &name),
            ("short_name", &short_name),
            ("country_code", &country_code),
            ("website_domain", &website),
        ] {
            if value.is_empty() {
                reasons.push(format!("{column} is empty."));
            } else if let Err(err) = text::single_line(value) {
                // A quoted cell may hold a line break, and nothing stops a control character.
                reasons.push(format!("{column}: {err}"));
            }
        }

        if !country_code.is_empty() {
            if country_code.len() != 2 || !country_code.bytes().all(|b| b.is_ascii_alphabetic()) {
                reasons.push(format!("country_code “{country_code}” is not two letters, like AT."));
            } else if !is_country_code(&country_code) {
                reasons.push(format!(
                    "country_code “{country_code}” is not an ISO 3166-1 alpha-2 country code."
                ));
            }
        }

        if !short_name.is_empty() {
            if let Some(first_line) = short_names.get(&short_name.to_lowercase()) {
                reasons.push(format!("short_name “{short_name}” is already used on line {first_line}."));
            } else {
                short_names.insert(short_name.to_lowercase(), line);
            }
        }

        let website = if website.is_empty() {
            None
        } else {
            match team_domain::parse_hostname(&website) {
                Ok(host) => Some(host),
                Err(err) => {
                    reasons.push(format!("website_domain: {err}"));
                    None
                }
            }
        };

        let mut email_domains: Vec<TeamDomain> = Vec::new();
        let mut unconfirmed_domains: Vec<TeamDomain> = Vec::new();
        for (column, raw_list) in
            [(EMAIL_DOMAINS_COLUMN, &email_domains_raw), (UNCONFIRMED_DOMAINS_COLUMN, &unconfirmed_raw)]
        {
            for raw in raw_list.split(';').map(str::trim).filter(|raw| !raw.is_empty()) {
                match TeamDomain::parse(raw, free_mail) {
                    Ok(domain) if column == UNCONFIRMED_DOMAINS_COLUMN && email_domains.contains(&domain) => {
                        if !unconfirmed_domains.contains(&domain) {
                            reasons.push(format!(
                                "{column}: {} is listed as confirmed too; list it in one column.",
                                domain.as_str()
                            ));
                        }
                    }
                    Ok(domain) if email_domains.contains(&domain) => {}
                    Ok(domain) => {
                        if column == UNCONFIRMED_DOMAINS_COLUMN {
                            unconfirmed_domains.push(domain.clone());
                        }
                        email_domains.push(domain);
                    }
                    Err(err) => reasons.push(format!("{column}: {err}")),
                }
            }
        }

        // An empty or invalid website has already given a reason.
        let website = match website {
            Some(website) if reasons.is_empty() => website,
            _ => return Err(RefusedRow { line, short_name, reasons }),
        };

        // No email domain listed (no column, or an empty cell): the website's domain is the
        // best evidence of membership there is, unless it is shared.
        let mut note = None;
        let domains_stated = self.unconfirmed_domains.is_some();
        let domains_derived = email_domains.is_empty() && !domains_stated;
        if domains_derived {
            match TeamDomain::parse(&website, free_mail) {
                Ok(domain) => email_domains.push(domain),
                Err(DomainError::PublicSuffix(_)) => {
                    note = Some(format!(
                        "no email domain: invitation only (website domain {website} is not registrable)"
                    ));
                }
                Err(err) => {
                    note = Some(format!("no email domain: invitation only ({err})"));
                }
            }
        }

        Ok(TeamRow {
            line,
            name,
            short_name,
            country_code,
            website,
            email_domains,
            unconfirmed_domains,
            domains_stated,
            status,
            cap_override,
            contacts,
            domains_derived,
            note,
        })
    }
}

/// Line numbers as a person counts them, header = 1. The csv crate's own count runs behind
/// on CRLF files and after blank lines: it notes the line before skipping the previous
/// record's terminator. So count from the byte offset instead, past any line breaks.
struct LineCounter<'a> {
    input: &'a [u8],
    /// Everything before `offset` has been counted; `line` is the line `offset` is on.
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line a record starts on; records must be asked for in file order.
    fn line_of(&mut self, position: Option<&csv::Position>) -> usize {
        let byte =
            position.map_or(self.offset, |position| usize::try_from(position.byte()).unwrap_or(usize::MAX));
        let mut start = byte.clamp(self.offset, self.input.len());
        while self.input.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        let skipped = self.input.get(self.offset..start).unwrap_or_default();
        self.line += skipped.iter().filter(|b| **b == b'\n').count();
        self.offset = start;
        self.line
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nothing was imported; correct the file and import it again.")?;
        if !self.missing_columns.is_empty() {
            write!(f, "\nMissing columns: {}.", self.missing_columns.join(", "))?;
        }
        for row in &self.refused {
            if row.short_name.is_empty() {
                write!(f, "\nLine {}:", row.line)?;
            } else {
                write!(f, "\nLine {} ({}):", row.line, row.short_name)?;
            }
            for reason in &row.reasons {
                write!(f, "\n  - {reason}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ImportReport {}

/// ISO 3166-1 alpha-2 codes, sorted for binary search, plus `XK`: not assigned by ISO but
/// the code the EU, the IMF and the registries use for Kosovo, which has a national CSIRT.
const COUNTRY_CODES: [&str; 250] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", //
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT",
    "BV", "BW", "BY", "BZ", //
    "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX",
    "CY", "CZ", //
    "DE", "DJ", "DK", "DM", "DO", "DZ", //
    "EC", "EE", "EG", "EH", "ER", "ES", "ET", //
    "FI", "FJ", "FK", "FM", "FO", "FR", //
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU",
    "GW", "GY", //
    "HK", "HM", "HN", "HR", "HT", "HU", //
    "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", //
    "JE", "JM", "JO", "JP", //
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", //
    "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", //
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT",
    "MU", "MV", "MW", "MX", "MY", "MZ", //
    "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", //
    "OM", //
    "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", //
    "QA", //
    "RE", "RO", "RS", "RU", "RW", //
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SV", "SX", "SY", "SZ", //
    "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", //
    "UA", "UG", "UM", "US", "UY", "UZ", //
    "VA", "VC", "VE", "VG", "VI", "VN", "VU", //
    "WF", "WS", //
    "XK", //
    "YE", "YT", //
    "ZA", "ZM", "ZW",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::team_domain::default_free_mail;

    const NATIONAL_CSIRTS: &[u8] = include_bytes!("../../tests/fixtures/national_csirts.csv");

    fn import(csv: &str) -> Result<Vec<TeamRow>, ImportReport> {
        parse(csv.as_bytes(), &default_free_mail())
    }

    fn refused(csv: &str) -> ImportReport {
        import(csv).expect_err("the file should be refused")
    }

    fn team<'a>(rows: &'a [TeamRow], short_name: &str) -> &'a TeamRow {
        rows.iter().find(|row| row.short_name == short_name).expect(short_name)
    }

    #[test]
    fn the_registry_of_national_csirts_is_accepted_whole() {
        let rows = parse(NATIONAL_CSIRTS, &default_free_mail()).expect("all rows accepted");
        assert_eq!(rows.len(), 86);
        assert_eq!(rows.first().map(|row| row.line), Some(2));
        assert_eq!(rows.last().map(|row| row.line), Some(87));

        let austria = team(&rows, "CERT.at");
        assert_eq!(austria.name, "CERT.at / GovCERT Austria");
        assert_eq!(austria.country_code, "AT");
        assert_eq!(austria.website, "cert.at");
        assert_eq!(austria.email_domains.iter().map(TeamDomain::as_str).collect::<Vec<_>>(), ["cert.at"]);
        assert_eq!(austria.note, None);

        // A quoted name with a comma in it.
        assert_eq!(team(&rows, "CERT.hr").name, "CERT.hr (National CERT, CARNet)");
        assert_eq!(team(&rows, "NCSC-UK").email_domains[0].as_str(), "ncsc.gov.uk");
    }

    #[test]
    fn teams_whose_website_is_a_public_suffix_get_no_email_domain_and_a_note() {
        let rows = parse(NATIONAL_CSIRTS, &default_free_mail()).expect("all rows accepted");
        let israel = team(&rows, "INCD");
        assert!(israel.email_domains.is_empty());
        assert_eq!(
            israel.note.as_deref(),
            Some("no email domain: invitation only (website domain gov.il is not registrable)")
        );
        assert_eq!(team(&rows, "CERT-MX").website, "gob.mx");
        assert!(team(&rows, "CERT-MX").email_domains.is_empty());
        let without: Vec<&str> = rows
            .iter()
            .filter(|row| row.email_domains.is_empty())
            .map(|row| row.short_name.as_str())
            .collect();
        assert_eq!(without, ["CERT-MX", "INCD"]);
    }

    #[test]
    fn listed_email_domains_replace_the_website_domain() {
        let rows = import(
            "Name,Short_Name , COUNTRY_CODE,website_domain,email_domains\n\
             CERT.at,CERT.at,at,www.cert.at, cert.at ; @GovCERT.gv.at;cert.at\n",
        )
        .expect("accepted");
        assert_eq!(rows[0].country_code, "AT");
        assert_eq!(rows[0].website, "www.cert.at");
        assert_eq!(
            rows[0].email_domains.iter().map(TeamDomain::as_str).collect::<Vec<_>>(),
            ["cert.at", "govcert.gv.at"]
        );
        assert!(!rows[0].domains_derived, "listed domains are the organizers' word");
    }

    #[test]
    fn an_empty_email_domains_cell_falls_back_to_the_website_domain() {
        let rows =
            import("name,short_name,country_code,website_domain,email_domains\nCIRCL,CIRCL,LU,circl.lu,\n")
                .expect("accepted");
        assert_eq!(rows[0].email_domains[0].as_str(), "circl.lu");
        assert!(rows[0].domains_derived, "a domain taken from the website waits for an organizer");
    }

    #[test]
    fn columns_are_found_by_name_in_any_order_and_unknown_ones_are_ignored() {
        let rows = import("website_domain,comment,short_name,country,name,country_code\ncert.se,hi,CERT-SE,Sweden,CERT-SE,SE\n")
            .expect("accepted");
        assert_eq!(rows[0].name, "CERT-SE");
        assert_eq!(rows[0].website, "cert.se");
    }

    #[test]
    fn a_missing_column_refuses_the_file() {
        let report = refused("name,short_name,country\nCERT.at,CERT.at,Austria\n");
        assert_eq!(report.missing_columns, ["country_code", "website_domain"]);
        assert!(report.refused.is_empty());
        assert!(report.to_string().contains("Missing columns: country_code, website_domain."), "{report}");
    }

    #[test]
    fn an_empty_file_misses_every_column() {
        assert_eq!(refused("").missing_columns, REQUIRED_COLUMNS);
    }

    #[test]
    fn a_column_given_twice_refuses_the_file() {
        let report = refused("name,short_name,country_code,website_domain,Name\nA,A,AT,a.at,B\n");
        assert_eq!(report.refused.len(), 1);
        assert_eq!(report.refused[0].line, 1);
        assert_eq!(report.refused[0].reasons, ["The column name appears more than once."]);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_nothing_is_imported() {
        let report = refused(
            "name,short_name,country_code,country,website_domain,email_domains\n\
             CERT.at / GovCERT Austria,CERT.at,AT,Austria,cert.at,\n\
             Duplicate,cert.AT,AT,Austria,cert.example,\n\
             Nowhere CERT,NW-CERT,XX,Nowhere,nowhere.example,\n\
             Free CERT,FREE-CERT,FR,France,free-cert.example,free-cert.example;gmail.com\n\
             \"Shared\nCERT\",SHARED,IL,Israel,gov.il,gov.il\n\
             Good CERT,GOOD,SE,Sweden,good.example,\n\
             ,,AUT,,https://bad.example/,\n",
        );
        assert!(report.missing_columns.is_empty());
        let lines: Vec<(usize, &str)> =
            report.refused.iter().map(|row| (row.line, row.short_name.as_str())).collect();
        assert_eq!(
            lines,
            [(3, "cert.AT"), (4, "NW-CERT"), (5, "FREE-CERT"), (6, "SHARED"), (9, "")],
            "{report}"
        );
        let reasons = |line: usize| {
            report
                .refused
                .iter()
                .find(|row| row.line == line)
                .map(|row| row.reasons.clone())
                .unwrap_or_default()
        };
        assert_eq!(reasons(3), ["short_name “cert.AT” is already used on line 2."]);
        assert_eq!(reasons(4), ["country_code “XX” is not an ISO 3166-1 alpha-2 country code."]);
        assert_eq!(
            reasons(5),
            ["email_domains: gmail.com is a free-mail service; enter your team's own domain."]
        );
        assert_eq!(
            reasons(6),
            [
                "name: Keep this on one line: remove the line break or tab.",
                "email_domains: gov.il is a public suffix shared by many organizations; enter your team's \
                 own domain, like cert.gov.il."
            ]
        );
        assert_eq!(
            reasons(9),
            [
                "name is empty.",
                "short_name is empty.",
                "country_code “AUT” is not two letters, like AT.",
                "website_domain: Enter only the domain, like cert.at, without https://, a path or a port."
            ]
        );
    }

    #[test]
    fn the_report_reads_as_a_list_of_lines_and_reasons() {
        let report = refused("name,short_name,country_code,website_domain\nX,X-CERT,XX,x.example\n");
        assert_eq!(
            report.to_string(),
            "Nothing was imported; correct the file and import it again.\n\
             Line 2 (X-CERT):\n  - country_code “XX” is not an ISO 3166-1 alpha-2 country code."
        );
    }

    #[test]
    fn a_row_with_a_stray_comma_is_refused_with_a_hint() {
        let report =
            refused("name,short_name,country_code,website_domain\nCERT, Hungary,NCSC-HU,HU,nki.gov.hu\n");
        assert_eq!(report.refused[0].line, 2);
        assert!(report.refused[0].reasons[0].starts_with("The line has 5 fields where the header has 4"));
    }

    #[test]
    fn a_line_that_is_not_utf8_is_refused_and_the_others_are_still_checked() {
        let mut csv =
            b"name,short_name,country_code,website_domain\nCERT M\xfcnchen,CERT-M,DE,cert-m.example\n"
                .to_vec();
        csv.extend_from_slice(b"Other,O-CERT,XX,o.example\n");
        let report = parse(&csv, &default_free_mail()).expect_err("refused");
        let lines: Vec<usize> = report.refused.iter().map(|row| row.line).collect();
        assert_eq!(lines, [2, 3]);
        assert_eq!(
            report.refused[0].reasons,
            ["The line is not valid UTF-8; save the file with the UTF-8 encoding."]
        );
    }

    #[test]
    fn a_byte_order_mark_and_blank_rows_are_tolerated() {
        let rows = import("\u{feff}name,short_name,country_code,website_domain\r\nCERT-SE,CERT-SE,SE,cert.se\r\n,,,\r\n\r\nSI-CERT,SI-CERT,SI,cert.si\r\n")
            .expect("accepted");
        let lines: Vec<usize> = rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [2, 5]);
    }

    #[test]
    fn line_numbers_count_crlf_line_breaks_blank_lines_and_breaks_inside_quotes() {
        let report = refused(
            "\r\nname,short_name,country_code,website_domain,notes\r\n\
             Two,TWO,SE,two.example,\"Two\r\nlines\"\r\n\r\n\
             Bad,BAD,XX,bad.example,\r\n",
        );
        assert_eq!(report.refused.iter().map(|row| row.line).collect::<Vec<_>>(), [6]);
    }

    #[test]
    fn a_header_without_rows_imports_nothing() {
        assert_eq!(import("name,short_name,country_code,website_domain\n"), Ok(Vec::new()));
    }

    #[test]
    fn the_country_list_is_sorted_unique_and_complete() {
        assert!(COUNTRY_CODES.windows(2).all(|pair| pair[0] < pair[1]), "unsorted or duplicated");
        assert!(
            COUNTRY_CODES.iter().all(|code| code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()))
        );
        for code in ["AT", "GB", "US", "IL", "MX", "XK", "ZW", "AD"] {
            assert!(is_country_code(code), "{code}");
        }
        for code in ["UK", "EU", "XX", "at", "AUT", ""] {
            assert!(!is_country_code(code), "{code}");
        }
    }
}

/// Generated files: thousands per run, written by an independent CSV writer.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::team_domain::default_free_mail;

    /// A team as a spreadsheet would hold it: names with spaces, commas, quotes and
    /// non-ASCII letters, a real country code and a plain domain.
    fn team() -> impl Strategy<Value = (String, String, String, String)> {
        (
            "[A-Za-zÀ-ÿ ,.\"'()/-]{1,40}",
            "[A-Z]{2,8}(-[A-Z]{2,4})?",
            prop::sample::select(COUNTRY_CODES.to_vec()),
            "[a-z]{1,12}(-[a-z]{1,8})?",
        )
            .prop_map(|(name, short, country, domain)| {
                (name, short, country.to_owned(), format!("{domain}.example"))
            })
    }

    fn write(rows: &[(String, String, String, String)]) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let header = ["name", "short_name", "country_code", "website_domain", "email_domains"];
        writer.write_record(header).expect("header");
        for (name, short, country, domain) in rows {
            writer.write_record([name, short, country, domain, domain]).expect("row");
        }
        writer.into_inner().expect("written")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_are_read_without_a_panic_and_refusals_name_real_lines(input in prop::collection::vec(any::<u8>(), 0..600)) {
            let lines = input.iter().filter(|b| **b == b'\n').count() + 1;
            match parse(&input, &default_free_mail()) {
                Ok(rows) => prop_assert!(rows.iter().all(|r| (2..=lines).contains(&r.line))),
                Err(report) => prop_assert!(report.refused.iter().all(|r| (1..=lines).contains(&r.line))),
            }
        }

        #[test]
        fn any_text_in_a_cell_is_read_without_a_panic(cells in prop::collection::vec(any::<String>(), 4..6)) {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["name", "short_name", "country_code", "website_domain", "email_domains"]).expect("header");
            writer.write_record(cells.iter().chain(std::iter::repeat(&String::new())).take(5)).expect("row");
            let input = writer.into_inner().expect("written");
            if let Ok(rows) = parse(&input, &default_free_mail()) {
                for row in rows {
                    prop_assert!(text::single_line(&row.name).is_ok(), "{:?}", row.name);
                    prop_assert!(text::single_line(&row.short_name).is_ok());
                }
            }
        }

        #[test]
        fn a_written_registry_reads_back_as_the_same_teams(
            teams in prop::collection::vec(team(), 1..12),
        ) {
            // One team per short name and per domain, as the registry requires.
            let mut seen = (std::collections::HashSet::new(), std::collections::HashSet::new());
            let teams: Vec<_> = teams
                .into_iter()
                .filter(|t| seen.0.insert(t.1.to_lowercase()) && seen.1.insert(t.3.clone()))
                .filter(|t| !t.0.trim().is_empty())
                .collect();
            let rows = parse(&write(&teams), &default_free_mail()).map_err(|r| TestCaseError::fail(r.to_string()))?;
            prop_assert_eq!(rows.len(), teams.len());
            for (row, (name, short, country, domain)) in rows.iter().zip(&teams) {
                // A leading apostrophe before a formula character marks text, as in a
                // spreadsheet: it is not part of the name (`spreadsheet::restore`).
                prop_assert_eq!(&row.name, crate::domain::spreadsheet::restore(name.trim()));
                prop_assert_eq!(&row.short_name, short);
                prop_assert_eq!(&row.country_code, country);
                prop_assert_eq!(&row.website, domain);
                prop_assert_eq!(row.email_domains.iter().map(|d| d.as_str()).collect::<Vec<_>>(), [domain.as_str()]);
            }
        }
    }
}
