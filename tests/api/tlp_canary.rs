//! The TLP canary sweep (docs/CALENDAR.md T1): unique strings are planted in the title,
//! abstract and speakers of TLP:RED, TLP:AMBER+STRICT and TLP:AMBER sessions, which are
//! published, picked, changed, cancelled and unpicked, and in the title and abstract of
//! proposals under the same labels, which get a confirmed co-speaker, a comment, a score
//! and a decision (accept, ask for changes, reject); the sessions have an outside guest
//! with an address (a plain mail), and an attendee comments on the RED session (feedback);
//! then every output is read and
//! checked. Whatever leaves the app carries at most what `tlp::outside` lets out, and the
//! agenda's own pages do show the canaries, so the sweep cannot pass by seeing nothing.
//!
//! A later feature that adds an output adds one line to [`OUTPUTS`].

use std::{
    io::Write,
    sync::{
        Mutex, Once,
        atomic::{AtomicUsize, Ordering},
    },
};

use csirt_meet::{
    domain::{
        api_token::Scope,
        tlp::{self, Tlp},
    },
    models::agenda::session,
};

use crate::{
    fixtures::{
        Attendee, CALL, EDITOR, PROPOSALS, SLUG, api_token, call_form, create_meeting, feed_path,
        organizer_feed_token, pending_registration, publish_agenda, schedule_token, upload,
        user_of_registration,
    },
    helpers::{TestApp, location, new_client, parse_email, spawn_app},
};

/// The planted sessions: three labels, each once kept and once cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Red,
    Strict,
    Amber,
    RedGone,
    StrictGone,
    AmberGone,
}

const SESSIONS: [S; 6] = [S::Red, S::Strict, S::Amber, S::RedGone, S::StrictGone, S::AmberGone];

impl S {
    fn label(self) -> Tlp {
        match self {
            S::Red | S::RedGone => Tlp::Red,
            S::Strict | S::StrictGone => Tlp::AmberStrict,
            S::Amber | S::AmberGone => Tlp::Amber,
        }
    }

    fn key(self) -> &'static str {
        match self {
            S::Red => "red",
            S::Strict => "strict",
            S::Amber => "amber",
            S::RedGone => "red_gone",
            S::StrictGone => "strict_gone",
            S::AmberGone => "amber_gone",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Title,
    Abstract,
    Speaker,
    /// An attendee's comment on the session (feedback): never leaves, like its speakers.
    Comment,
}

const PARTS: [Part; 4] = [Part::Title, Part::Abstract, Part::Speaker, Part::Comment];

/// Something an output must show: a canary, or a text (with the placeholders of paths)
/// that proves the output was really read.
#[derive(Debug, Clone, Copy)]
enum Seen {
    Canary(S, Part),
    Text(&'static str),
}

use Part::{Abstract, Comment, Speaker, Title};
use Seen::{Canary, Text};
use csirt_meet::domain::states::Role;

/// Who reads an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// Approved, the feed holds the whole agenda, invites by email and in the feed.
    Ana,
    /// Approved, the feed holds only his picks, invites by email.
    Ben,
    /// Signed in, not registered for the meeting.
    Outsider,
    Organizer,
}

/// How an output is read. Paths take the placeholders `{slug}`, `{organizer}`, each
/// session's key (`{red}`, `{amber_gone}`…), each proposal's (`{p_red}`, `{p_strict}`,
/// `{p_amber}`), the feed paths `{feed_ana}`, `{feed_ben}` and the tokens of Ana's schedule
/// address `{schedule_ana}` and of the organizer's feed `{feed_organizer}`.
#[derive(Debug, Clone, Copy)]
enum Read {
    /// A GET answered with this status.
    Get(Who, &'static str, u16),
    /// A POST with the CSRF token and these fields, answered with this status.
    Post(Who, &'static str, &'static [(&'static str, &'static str)], u16),
    /// A GET of the JSON API with a token of the person (the attendee scope for Ana and
    /// Ben, the organizer scope for the organizer; none for anonymous), with this status.
    Api(Who, &'static str, u16),
    /// Every email of the flow, decoded part by part (one leak check per message).
    Emails,
    /// Everything the server logged at debug level during the flow.
    Log,
}

#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Leaves the app, or is not one of the agenda's own pages: at most what T1 lets out.
    T1(&'static [Seen]),
    /// One of the agenda's own pages (the attendee's agenda, session and changes pages; the
    /// organizer's editor): it shows these; only its `<title>` is held to T1, since
    /// browsers keep titles in their history and sync them.
    Agenda(&'static [Seen]),
}

/// Every output the sweep reads. One line per output.
const OUTPUTS: &[(&str, Read, Rule)] = &[
    // Feeds (both scopes) and downloads.
    ("feed, whole agenda", Read::Get(Who::Anonymous, "{feed_ana}", 200), Rule::T1(FEED)),
    ("feed, picks only", Read::Get(Who::Anonymous, "{feed_ben}", 200), Rule::T1(&[Canary(S::Strict, Title)])),
    ("RED .ics", Read::Get(Who::Ana, "/meetings/{slug}/sessions/{red}.ics", 200), Rule::T1(ICS)),
    (
        "AMBER+STRICT .ics",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{strict}.ics", 200),
        Rule::T1(&[Canary(S::Strict, Title)]),
    ),
    (
        "AMBER .ics",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{amber}.ics", 200),
        Rule::T1(&[Canary(S::Amber, Title)]),
    ),
    (
        "cancelled RED .ics",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{red_gone}.ics", 404),
        Rule::T1(&[]),
    ),
    (
        "organizer's RED .ics",
        Read::Get(Who::Organizer, "/meetings/{slug}/sessions/{red}.ics", 200),
        Rule::T1(ICS),
    ),
    // The JSON API.
    ("API agenda", Read::Api(Who::Ana, "/api/v1/meetings/{slug}/agenda", 200), Rule::T1(FEED)),
    ("API agenda, picks", Read::Api(Who::Ben, "/api/v1/meetings/{slug}/agenda", 200), Rule::T1(FEED)),
    (
        "API registrations",
        Read::Api(Who::Organizer, "/api/v1/meetings/{slug}/registrations", 200),
        Rule::T1(&[Text("CERT Austria")]),
    ),
    (
        "API my registrations",
        Read::Api(Who::Ana, "/api/v1/me/registrations", 200),
        Rule::T1(&[Text("{slug}")]),
    ),
    ("API meetings", Read::Api(Who::Anonymous, "/api/v1/meetings", 200), Rule::T1(&[Text("{slug}")])),
    ("API teams", Read::Api(Who::Organizer, "/api/v1/teams", 200), Rule::T1(&[Text("CERT Austria")])),
    ("API invitations", Read::Api(Who::Organizer, "/api/v1/meetings/{slug}/invitations", 200), Rule::T1(&[])),
    ("API document", Read::Api(Who::Anonymous, "/api/v1/openapi.json", 200), Rule::T1(&[Text("3.1.0")])),
    // Issue 18: the schedule for conference apps, the organizer's feed, a day's download.
    (
        "schedule XML",
        Read::Get(Who::Anonymous, "/schedules/{schedule_ana}/schedule.xml", 200),
        Rule::T1(FEED),
    ),
    (
        "schedule JSON",
        Read::Get(Who::Anonymous, "/schedules/{schedule_ana}/schedule.json", 200),
        Rule::T1(FEED),
    ),
    (
        "organizer's feed",
        Read::Get(Who::Anonymous, "/feeds/organizer/{feed_organizer}.ics", 200),
        Rule::T1(FEED),
    ),
    ("day .ics", Read::Get(Who::Ana, "/meetings/{slug}/days/2026-06-20.ics", 200), Rule::T1(FEED)),
    (
        "organizer's day .ics",
        Read::Get(Who::Organizer, "/meetings/{slug}/days/2026-06-20.ics", 200),
        Rule::T1(FEED),
    ),
    (
        "organizer's calendar page",
        Read::Get(Who::Organizer, "/admin/meetings/{slug}/calendar", 200),
        Rule::T1(&[Text("2026-06-20.ics")]),
    ),
    // Mail and logs. An announcement goes out first (the confirmed step: any well-formed
    // nonce), so that the sweep of every email covers it too.
    (
        "announcement sent",
        Read::Post(
            Who::Organizer,
            "/admin/meetings/{slug}/announce",
            &[
                ("audience", "approved"),
                ("subject", "Room change for the breakout"),
                ("body", "The closed session moves next door. Bring your badge."),
                ("encryption", "clear"),
                ("step", "send"),
                ("nonce", "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e"),
            ],
            303,
        ),
        Rule::T1(&[]),
    ),
    ("emails", Read::Emails, Rule::T1(MAIL)),
    ("log at debug level", Read::Log, Rule::T1(&[Text("DEBUG"), Text("csirt_meet::request")])),
    // Exports.
    (
        "organizer's data export",
        Read::Get(Who::Organizer, "/me/privacy/data.json", 200),
        Rule::T1(&[Text("{slug}/session/{red}")]),
    ),
    (
        "attendee's data export",
        Read::Get(Who::Ana, "/me/privacy/data.json", 200),
        Rule::T1(&[Text("\"registrations\"")]),
    ),
    (
        "picks-only attendee's data export",
        Read::Get(Who::Ben, "/me/privacy/data.json", 200),
        Rule::T1(&[Text("\"registrations\"")]),
    ),
    (
        "registrations CSV",
        Read::Get(Who::Organizer, "/admin/meetings/{slug}/registrations.csv", 200),
        Rule::T1(&[Text("CERT Austria")]),
    ),
    ("agenda CSV", Read::Get(Who::Organizer, "/admin/meetings/{slug}/agenda.csv", 200), Rule::T1(FEED)),
    ("agenda JSON", Read::Get(Who::Organizer, "/admin/meetings/{slug}/agenda.json", 200), Rule::T1(FEED)),
    // Audit.
    ("audit log", Read::Get(Who::Organizer, "/admin/audit", 200), Rule::T1(&[Text("{slug}/session/{red}")])),
    (
        "audit, by action",
        Read::Get(Who::Organizer, "/admin/audit?action=session.updated", 200),
        Rule::T1(AUDIT),
    ),
    (
        "audit, cancellations",
        Read::Get(Who::Organizer, "/admin/audit?action=session.cancelled", 200),
        Rule::T1(&[Text("{slug}/session/{red_gone}")]),
    ),
    ("audit, by person", Read::Get(Who::Organizer, "/admin/audit?actor={organizer}", 200), Rule::T1(AUDIT)),
    (
        "audit, proposals accepted",
        Read::Get(Who::Organizer, "/admin/audit?action=proposal.accepted", 200),
        Rule::T1(&[Text("{slug}/proposal/{p_red}"), Text("TLP:RED")]),
    ),
    (
        "audit, proposals submitted",
        Read::Get(Who::Organizer, "/admin/audit?action=proposal.submitted", 200),
        Rule::T1(&[Text("{slug}/proposal/{p_amber}"), Text("{slug}/proposal/{p_red}")]),
    ),
    // Other organizer pages.
    ("console", Read::Get(Who::Organizer, "/admin", 200), Rule::T1(&[])),
    ("meetings", Read::Get(Who::Organizer, "/admin/meetings", 200), Rule::T1(&[])),
    ("meeting", Read::Get(Who::Organizer, "/admin/meetings/{slug}", 200), Rule::T1(&[])),
    ("registrations", Read::Get(Who::Organizer, "/admin/meetings/{slug}/registrations", 200), Rule::T1(&[])),
    ("announcement form", Read::Get(Who::Organizer, "/admin/meetings/{slug}/announce", 200), Rule::T1(&[])),
    ("mail queue", Read::Get(Who::Organizer, "/admin/mail", 200), Rule::T1(&[])),
    (
        "reminder days",
        Read::Get(Who::Organizer, "/admin/meetings/{slug}/reminders", 200),
        Rule::T1(&[Text("51")]),
    ),
    (
        "attendee list",
        Read::Get(Who::Ana, "/meetings/{slug}/attendees", 200),
        Rule::T1(&[Text("ana@cert-at.example")]),
    ),
    // The directory's downloads and the roster (issue 19): Ana shares her contact and key
    // and is on the mailing list.
    (
        "directory keyring",
        Read::Get(Who::Ben, "/meetings/{slug}/attendees/keys.asc", 200),
        Rule::T1(&[Text("-----BEGIN PGP PUBLIC KEY BLOCK-----")]),
    ),
    (
        "directory vCard",
        Read::Get(Who::Ben, "/meetings/{slug}/attendees/contacts.vcf", 200),
        Rule::T1(&[Text("EMAIL;TYPE=work:ana@cert-at.example")]),
    ),
    ("my OpenPGP key", Read::Get(Who::Ana, "/me/openpgp", 200), Rule::T1(&[Text("89AA B9F7")])),
    (
        "mailing list roster",
        Read::Get(Who::Organizer, "/admin/roster?meeting={slug}", 200),
        Rule::T1(&[Text("ana@cert-at.example")]),
    ),
    (
        "mailing list roster CSV",
        Read::Get(Who::Organizer, "/admin/roster.csv?last=3", 200),
        Rule::T1(&[Text("ana@cert-at.example")]),
    ),
    // The attendee's own pages.
    ("my page", Read::Get(Who::Ana, "/me", 200), Rule::T1(&[])),
    ("my calendar", Read::Get(Who::Ana, "/me/calendar", 200), Rule::T1(&[])),
    ("my privacy", Read::Get(Who::Ana, "/me/privacy", 200), Rule::T1(&[])),
    // Public pages.
    ("home", Read::Get(Who::Anonymous, "/", 200), Rule::T1(&[])),
    ("sign-in", Read::Get(Who::Anonymous, "/login", 200), Rule::T1(&[])),
    ("register", Read::Get(Who::Anonymous, "/register", 200), Rule::T1(&[])),
    ("forgotten password", Read::Get(Who::Anonymous, "/password/forgot", 200), Rule::T1(&[])),
    // Error pages.
    ("404", Read::Get(Who::Anonymous, "/no/such/page", 404), Rule::T1(&[])),
    ("404 of a session", Read::Get(Who::Ana, "/meetings/{slug}/sessions/999999", 404), Rule::T1(&[])),
    ("404 of a feed", Read::Get(Who::Anonymous, "/feeds/no-such-token.ics", 404), Rule::T1(&[])),
    (
        "404 of a schedule",
        Read::Get(Who::Anonymous, "/schedules/no-such-token/schedule.xml", 404),
        Rule::T1(&[]),
    ),
    ("403 for a member", Read::Get(Who::Ana, "/admin/meetings/{slug}/agenda", 403), Rule::T1(&[])),
    (
        "403 outside the meeting",
        Read::Get(Who::Outsider, "/meetings/{slug}/sessions/{red}", 403),
        Rule::T1(&[]),
    ),
    ("410", Read::Get(Who::Anonymous, "/verify/no-such-token", 410), Rule::T1(&[])),
    // The agenda's own pages: where the canaries belong.
    ("agenda", Read::Get(Who::Ana, "/meetings/{slug}/agenda", 200), Rule::Agenda(TITLES)),
    (
        "RED session page",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{red}", 200),
        Rule::Agenda(&[Canary(S::Red, Title), Canary(S::Red, Abstract), Canary(S::Red, Speaker)]),
    ),
    (
        "AMBER+STRICT session page",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{strict}", 200),
        Rule::Agenda(&[Canary(S::Strict, Title), Canary(S::Strict, Abstract)]),
    ),
    (
        "AMBER session page",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{amber}", 200),
        Rule::Agenda(&[Canary(S::Amber, Title), Canary(S::Amber, Abstract)]),
    ),
    (
        "cancelled RED session page",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{red_gone}", 200),
        Rule::Agenda(&[Canary(S::RedGone, Title)]),
    ),
    (
        "changes",
        Read::Get(Who::Ana, "/meetings/{slug}/changes", 200),
        Rule::Agenda(&[Canary(S::Red, Title), Canary(S::RedGone, Title)]),
    ),
    (
        "organizer's RED session page",
        Read::Get(Who::Organizer, "/meetings/{slug}/sessions/{red}", 200),
        Rule::Agenda(&[Canary(S::Red, Abstract)]),
    ),
    ("agenda editor", Read::Get(Who::Organizer, "/admin/meetings/{slug}/agenda", 200), Rule::Agenda(TITLES)),
    (
        "editor, RED session",
        Read::Get(Who::Organizer, "/admin/meetings/{slug}/agenda/sessions/{red}", 200),
        Rule::Agenda(&[Canary(S::Red, Title), Canary(S::Red, Abstract), Canary(S::Red, Speaker)]),
    ),
    // The call for contributions' own pages: where the proposals' canaries belong.
    (
        "call for contributions",
        Read::Get(Who::Ana, "/meetings/{slug}/proposals", 200),
        Rule::Agenda(&[Canary(S::Red, Title), Canary(S::Strict, Title), Canary(S::Amber, Title)]),
    ),
    (
        "my RED proposal",
        Read::Get(Who::Ana, "/meetings/{slug}/proposals/{p_red}", 200),
        Rule::Agenda(&[Canary(S::Red, Title), Canary(S::Red, Abstract)]),
    ),
    (
        "proposals to review",
        Read::Get(Who::Organizer, "/admin/meetings/{slug}/proposals", 200),
        Rule::Agenda(&[Canary(S::Red, Title), Canary(S::Amber, Title)]),
    ),
    (
        "RED proposal's review",
        Read::Get(Who::Organizer, "/admin/meetings/{slug}/proposals/{p_red}", 200),
        Rule::Agenda(&[Canary(S::Red, Title), Canary(S::Red, Abstract)]),
    ),
    // Materials: a TLP:RED file on the RED session, its name holding the RED title's
    // canary, shared by the organizer and downloaded by Ana during the flow.
    (
        "audit, downloads",
        Read::Get(Who::Organizer, "/admin/audit?action=material.downloaded", 200),
        Rule::T1(&[Text("material/{m_red}"), Text("TLP:RED")]),
    ),
    (
        "RED session page, its files",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{red}", 200),
        Rule::Agenda(&[Text("-slides.txt")]),
    ),
    (
        "sharing a file on the RED session",
        Read::Get(Who::Organizer, "/meetings/{slug}/sessions/{red}/materials", 200),
        Rule::Agenda(&[Canary(S::Red, Title)]),
    ),
    (
        "deleting the RED file, asked",
        Read::Post(Who::Organizer, "/meetings/{slug}/sessions/{red}/materials/{m_red}/delete", &[], 200),
        Rule::Agenda(&[Text("-slides.txt")]),
    ),
    (
        "editor, cancelling RED",
        Read::Post(Who::Organizer, "/admin/meetings/{slug}/agenda/sessions/{red}/cancel", &[], 200),
        Rule::Agenda(&[Canary(S::Red, Title)]),
    ),
    // Feedback: a comment on the RED session shows only where its title may.
    (
        "RED session's feedback",
        Read::Get(Who::Ana, "/meetings/{slug}/sessions/{red}/feedback", 200),
        Rule::Agenda(&[Canary(S::Red, Title)]),
    ),
    (
        "rating before the end",
        Read::Post(Who::Ben, "/meetings/{slug}/sessions/{red}/feedback", &[("rating", "5")], 422),
        Rule::Agenda(&[Canary(S::Red, Title), Text("once it has ended")]),
    ),
    (
        "rating refused outside the meeting",
        Read::Post(Who::Outsider, "/meetings/{slug}/sessions/{red}/feedback", &[("rating", "5")], 403),
        Rule::T1(&[]),
    ),
    ("survey", Read::Get(Who::Ana, "/meetings/{slug}/survey", 200), Rule::T1(&[Text("Survey")])),
    (
        "organizer's feedback",
        Read::Get(Who::Organizer, "/admin/meetings/{slug}/feedback", 200),
        Rule::Agenda(&[Canary(S::Red, Title)]),
    ),
    (
        "organizer's RED feedback",
        Read::Get(Who::Organizer, "/admin/meetings/{slug}/feedback/sessions/{red}", 200),
        Rule::Agenda(&[Canary(S::Red, Title), Canary(S::Red, Comment)]),
    ),
];

const FEED: &[Seen] = &[Canary(S::Strict, Title), Canary(S::Amber, Title), Text("TLP:RED session")];
const ICS: &[Seen] = &[Text("TLP:RED session"), Text("BEGIN:VEVENT")];
const MAIL: &[Seen] = &[
    Canary(S::Amber, Title),
    Canary(S::StrictGone, Title),
    Text("Updated invitation: TLP:RED session"),
    Text("Cancelled: TLP:RED session"),
    Text("Removed from your calendar: [TLP:AMBER]"),
    // Proposals: a RED one by its number, an AMBER one by its title.
    Text("proposal #{p_red} (TLP:RED)"),
    Text("Changes asked on your proposal"),
    // Outside guests' plain mail: the label and the meeting, never a title in the subject.
    Text("[TLP:RED] Your session at"),
    Text("Cancelled: [TLP:RED] your session at"),
    Text("TLP:RED · TLP:RED session — details in the agenda"),
    // Reminders: a neutral subject; a RED pick by its placeholder.
    Text("Reminder: NatCSIRT 2026 begins Sat 20 June 2026"),
    Text("TLP:RED session — details in the agenda"),
];
const AUDIT: &[Seen] = &[Text("{slug}/session/{red}"), Text("TLP:RED")];
const TITLES: &[Seen] =
    &[Canary(S::Red, Title), Canary(S::Strict, Title), Canary(S::Amber, Title), Canary(S::RedGone, Title)];

/// The planted strings of one run: unique, so no other test can produce them, and made of
/// letters, digits and hyphens, which no output escapes.
struct Canaries {
    run: String,
}

impl Canaries {
    fn new() -> Self {
        Self { run: uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase() }
    }

    fn of(&self, s: S, part: Part) -> String {
        let part = match part {
            Title => "TITLE",
            Abstract => "ABSTRACT",
            Speaker => "SPEAKER",
            Comment => "COMMENT",
        };
        format!("CANARY-{}-{part}-{}", s.key().to_uppercase().replace('_', ""), self.run)
    }

    /// The session's stored title and abstract, with its canaries in them.
    fn title(&self, s: S) -> String {
        format!("Case {}", self.of(s, Title))
    }

    fn abstract_text(&self, s: S) -> String {
        format!("What happened: {}.", self.of(s, Abstract))
    }

    /// Whether T1 lets this canary out: the rule of `domain::tlp`, asked about the very
    /// title and abstract the session carries. Speakers and comments never leave.
    fn may_leave(&self, s: S, part: Part) -> bool {
        let (title, abstract_text) = (self.title(s), self.abstract_text(s));
        let out = tlp::outside(s.label(), &title, &abstract_text);
        let canary = self.of(s, part);
        out.title.contains(&canary) || out.abstract_text.is_some_and(|a| a.contains(&canary))
    }
}

/// Text with all whitespace removed and HTML's escapes undone: a canary (which has none of
/// either) is found even where a calendar line or a mail body was folded inside it.
fn squeezed(text: &str) -> String {
    let plain =
        [("&#x2F;", "/"), ("&quot;", "\""), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
            .iter()
            .fold(text.to_owned(), |t, (escaped, plain)| t.replace(escaped, plain));
    plain.split_whitespace().collect()
}

/// The ids and addresses the paths of [`OUTPUTS`] refer to.
struct Flow {
    app: TestApp,
    ana: Attendee,
    ben: Attendee,
    outsider: reqwest::Client,
    organizer_id: i64,
    ids: Vec<(S, i64)>,
    proposals: Vec<(S, i64)>,
    feed_ana: String,
    feed_ben: String,
    schedule_ana: String,
    feed_organizer: String,
    /// The TLP:RED file on the RED session.
    material: i64,
    /// API tokens (`Authorization` values) of Ana, Ben and the organizer.
    tokens: Vec<(Who, String)>,
    log: Capturing,
    canaries: Canaries,
}

impl Flow {
    fn id(&self, s: S) -> i64 {
        self.ids.iter().find(|(k, _)| *k == s).map(|(_, id)| *id).expect("planted")
    }

    fn fill(&self, template: &str) -> String {
        let mut out = template
            .replace("{slug}", SLUG)
            .replace("{organizer}", &self.organizer_id.to_string())
            .replace("{feed_ana}", &self.feed_ana)
            .replace("{feed_ben}", &self.feed_ben)
            .replace("{schedule_ana}", &self.schedule_ana)
            .replace("{feed_organizer}", &self.feed_organizer)
            .replace("{m_red}", &self.material.to_string());
        for s in SESSIONS {
            out = out.replace(&format!("{{{}}}", s.key()), &self.id(s).to_string());
        }
        for (s, id) in &self.proposals {
            out = out.replace(&format!("{{p_{}}}", s.key()), &id.to_string());
        }
        out
    }

    fn client(&self, who: Who) -> reqwest::Client {
        match who {
            Who::Anonymous => new_client(),
            Who::Ana => self.ana.client.clone(),
            Who::Ben => self.ben.client.clone(),
            Who::Outsider => self.outsider.clone(),
            Who::Organizer => self.app.client.clone(),
        }
    }

    /// The texts of an output, each with a name for the failure message.
    async fn read(&self, name: &str, read: Read) -> Vec<(String, String)> {
        match read {
            Read::Get(who, path, status) => {
                let path = self.fill(path);
                let res = self.client(who).get(self.app.url(&path)).send().await.expect("sent");
                assert_eq!(res.status().as_u16(), status, "{name}: GET {path}");
                vec![(format!("{name} (GET {path})"), res.text().await.expect("body"))]
            }
            Read::Post(who, path, fields, status) => {
                let path = self.fill(path);
                let res = self.app.post_form_with(&self.client(who), &path, fields).await;
                assert_eq!(res.status().as_u16(), status, "{name}: POST {path}");
                vec![(format!("{name} (POST {path})"), res.text().await.expect("body"))]
            }
            Read::Api(who, path, status) => {
                let path = self.fill(path);
                let mut req = reqwest::Client::new().get(self.app.url(&path));
                if let Some((_, token)) = self.tokens.iter().find(|(w, _)| *w == who) {
                    req = req.header("authorization", token);
                }
                let res = req.send().await.expect("sent");
                assert_eq!(res.status().as_u16(), status, "{name}: GET {path}");
                vec![(format!("{name} (API GET {path})"), res.text().await.expect("body"))]
            }
            Read::Emails => {
                self.app.dispatch_pending_emails().await;
                let kept = self.app.worker.transport().kept();
                assert!(!kept.is_empty(), "{name}: the flow sent mail");
                let announced = kept
                    .iter()
                    .any(|raw| String::from_utf8_lossy(raw).contains("Room change for the breakout"));
                assert!(announced, "{name}: the announcement is among them");
                kept.iter().enumerate().map(|(n, raw)| email_text(n, raw)).collect()
            }
            Read::Log => {
                vec![(name.to_owned(), self.log.text())]
            }
        }
    }

    /// Checks one output; returns what is wrong with it, if anything.
    async fn check(&self, name: &str, read: Read, rule: Rule) -> Vec<String> {
        let texts = self.read(name, read).await;
        let mut wrong = Vec::new();
        let (held, shows) = match rule {
            Rule::T1(shows) => (texts.iter().map(|(n, t)| (n.clone(), t.clone())).collect::<Vec<_>>(), shows),
            Rule::Agenda(shows) => {
                (texts.iter().map(|(n, t)| (format!("{n} <title>"), page_title(t))).collect(), shows)
            }
        };
        for (what, text) in &held {
            let text = squeezed(text);
            for s in SESSIONS {
                for part in PARTS {
                    let canary = self.canaries.of(s, part);
                    if text.contains(&canary) && !self.canaries.may_leave(s, part) {
                        wrong.push(format!("{what}: {canary} ({} {part:?}) must not be there", s.label()));
                    }
                }
            }
        }
        let all = squeezed(&texts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n"));
        for seen in shows {
            let needle = match *seen {
                Canary(s, part) => self.canaries.of(s, part),
                Text(text) => squeezed(&self.fill(text)),
            };
            if !all.contains(&needle) {
                wrong.push(format!("{name}: shows no {seen:?} ({needle})"));
            }
        }
        wrong
    }
}

/// One email as text: the raw message (headers) and every part decoded.
fn email_text(n: usize, raw: &[u8]) -> (String, String) {
    let msg = parse_email(raw);
    let subject = msg.subject().unwrap_or_default().to_owned();
    let mut text = String::from_utf8_lossy(raw).into_owned();
    text.push('\n');
    text.push_str(&subject);
    for part in &msg.parts {
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(part.contents()));
    }
    (format!("email {n} ({subject:?})"), text)
}

/// The text of a page's `<title>` element.
fn page_title(html: &str) -> String {
    html.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default().to_owned()
}

// The log: the server's own subscriber (`telemetry::init_with`) at debug level, writing
// into memory while a sweep runs. Tests run in parallel in this process, so the capture
// may also hold lines of other tests; the canaries are unique to one run.
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static CAPTURING: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if CAPTURING.load(Ordering::SeqCst) > 0 {
            LOG.lock().expect("log buffer").extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Lines are kept from its start until it is dropped, also when the test fails.
struct Capturing {
    from: usize,
}

fn start_capture() -> Capturing {
    INSTALL.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::new("debug");
        assert!(
            csirt_meet::telemetry::init_with(filter, || Capture, false),
            "no other global log subscriber in the test binary"
        );
    });
    CAPTURING.fetch_add(1, Ordering::SeqCst);
    Capturing { from: LOG.lock().expect("log buffer").len() }
}

impl Capturing {
    fn text(&self) -> String {
        let log = LOG.lock().expect("log buffer");
        String::from_utf8_lossy(&log[self.from..]).into_owned()
    }
}

impl Drop for Capturing {
    fn drop(&mut self) {
        CAPTURING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The fields of the session form for a planted session at its slot.
fn fields(c: &Canaries, s: S, slot: usize, moved: bool) -> Vec<(String, String)> {
    let hour = 8 + slot + usize::from(moved) * 6;
    [
        ("title", if moved { format!("{} (moved)", c.title(s)) } else { c.title(s) }),
        ("abstract_text", c.abstract_text(s)),
        ("kind", "talk".into()),
        ("track", String::new()),
        ("room", String::new()),
        ("day", "2026-06-20".into()),
        ("starts", format!("{hour:02}:00")),
        ("ends", format!("{hour:02}:45")),
        // A registered-looking speaker and an outside guest with an address (a plain mail).
        (
            "speakers",
            format!(
                "{speaker} (CERT.at)\nGuest {speaker} (Partner CERT) <guest-{}@partner.example>",
                s.key().replace('_', "-"),
                speaker = c.of(s, Speaker)
            ),
        ),
        ("tlp", s.label().as_str().into()),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .to_vec()
}

async fn post(app: &TestApp, client: &reqwest::Client, path: &str, fields: &[(String, String)]) -> u16 {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form_with(client, path, &borrowed).await.status().as_u16()
}

/// An approved attendee through the review queue (their meeting invite is mail of the
/// flow), signed in on a client of their own, with these calendar choices.
async fn attendee(
    app: &TestApp,
    meeting: &csirt_meet::models::meeting::Meeting,
    email: &str,
    choices: [(&str, &str); 2],
) -> Attendee {
    let member = app.create_user(email, Role::Member).await;
    let registration_id = pending_registration(app, meeting.id, member.id).await;
    let decision = format!("/admin/meetings/{SLUG}/registrations/{registration_id}/decision");
    let res = app.post_form(&decision, &[("decision", "approve"), ("reason", "")]).await;
    assert_eq!(res.status(), 303, "{email} approved");
    let client = new_client();
    app.sign_in_with(&client, &member).await;
    let a = Attendee { client, registration_id, meeting: meeting.clone() };
    let res =
        app.post_form_with(&a.client, &format!("/me/calendar/{registration_id}/choices"), &choices).await;
    assert_eq!(res.status(), 303, "{email}'s calendar choices");
    a
}

/// Ana is listed, shares her contact, joins the mailing list and adds her key (a throwaway
/// test key of `tests/fixtures/openpgp/`), through her pages.
async fn share_contact_and_key(app: &TestApp, ana: &Attendee) {
    let id = ana.registration_id;
    let res = app
        .post_form_with(
            &ana.client,
            &format!("/me/registrations/{id}/sharing"),
            &[("share_contact", "yes"), ("mailing_list", "yes")],
        )
        .await;
    assert_eq!(res.status(), 303, "Ana's sharing choices");
    let path = format!("{}/tests/fixtures/openpgp/ana-ed25519.asc", env!("CARGO_MANIFEST_DIR"));
    let key = std::fs::read_to_string(path).expect("the test key");
    let res = app.post_form_with(&ana.client, "/me/openpgp", &[("key", &key)]).await;
    assert_eq!(res.status(), 303, "Ana's key");
    app.db
        .query(move |c| {
            use csirt_meet::db::schema::registrations;
            use diesel::prelude::*;
            diesel::update(registrations::table.find(id))
                .set(registrations::consent_listed.eq(true))
                .execute(c)
        })
        .await
        .expect("Ana listed");
}

/// Plants, publishes, picks, changes, cancels and unpicks; the log is captured from the
/// start.
async fn flow() -> Flow {
    let log = start_capture();
    let app = spawn_app().await;
    let canaries = Canaries::new();
    let organizer = app.login_as_organizer().await;
    let m = create_meeting(&app, &[]).await;
    let ana =
        attendee(&app, &m, "ana@cert-at.example", [("feed_scope", "all"), ("session_invites", "both")]).await;
    let ben =
        attendee(&app, &m, "ben@cert-at.example", [("feed_scope", "picks"), ("session_invites", "email")])
            .await;
    share_contact_and_key(&app, &ana).await;
    let outsider = new_client();
    let carl = app.create_user("carl@cert-at.example", Role::Member).await;
    app.sign_in_with(&outsider, &carl).await;

    for (slot, s) in SESSIONS.into_iter().enumerate() {
        let status =
            post(&app, &app.client, &format!("{EDITOR}/sessions"), &fields(&canaries, s, slot, false)).await;
        assert_eq!(status, 303, "{s:?} planted");
    }
    publish_agenda(&app).await;
    let meeting_id = m.id;
    let draft = app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("sessions");
    let ids: Vec<(S, i64)> = SESSIONS
        .into_iter()
        .map(|s| {
            let title = canaries.title(s);
            (s, draft.iter().find(|d| d.title == title).expect("planted session").id)
        })
        .collect();
    let id = |s: S| ids.iter().find(|(k, _)| *k == s).map(|(_, id)| *id).expect("planted");
    for a in [&ana, &ben] {
        for s in SESSIONS {
            let res = app
                .post_form_with(&a.client, &format!("/meetings/{SLUG}/sessions/{}/pick", id(s)), &[])
                .await;
            assert_eq!(res.status(), 303, "{s:?} picked");
        }
    }
    app.dispatch_pending_emails().await;

    // Every session moves and is retitled (still with its canary); then the others go.
    for (slot, s) in SESSIONS.into_iter().enumerate() {
        let path = format!("{EDITOR}/sessions/{}", id(s));
        assert_eq!(
            post(&app, &app.client, &path, &fields(&canaries, s, slot, true)).await,
            303,
            "{s:?} changed"
        );
    }
    publish_agenda(&app).await;
    for s in [S::RedGone, S::StrictGone, S::AmberGone] {
        let res = app.post_form(&format!("{EDITOR}/sessions/{}/cancel", id(s)), &[("confirm", "yes")]).await;
        assert_eq!(location(&res), format!("{EDITOR}?done=session-cancelled"));
    }
    publish_agenda(&app).await;
    let res = app
        .post_form_with(&ben.client, &format!("/meetings/{SLUG}/sessions/{}/unpick", id(S::Amber)), &[])
        .await;
    assert_eq!(res.status(), 303, "unpicked");
    app.dispatch_pending_emails().await;
    let proposals = propose_and_decide(&app, &canaries, &ana, &ben).await;
    // Ana's rating of the RED session with a comment (written directly: the sessions end
    // after the flow's sign-ins would time out).
    let (red, registration, now) = (id(S::Red), ana.registration_id, app.clock.now_naive());
    let comment = format!("Loved it {}", canaries.of(S::Red, Comment));
    app.db
        .query(move |c| csirt_meet::models::feedback::save(c, red, registration, 5, &comment, now))
        .await
        .expect("a rating");
    // Reminders: 51 days before the meeting is due now (the clock stands 50 days before it).
    let reminders = format!("/admin/meetings/{SLUG}/reminders");
    assert_eq!(app.post_form(&reminders, &[("days", "51")]).await.status(), 303, "reminder days saved");
    assert_eq!(app.dispatch_pending_emails().await.sent, 2, "a reminder each to Ana and Ben");
    let material = share_red_file(&app, &canaries, id(S::Red), &ana).await;

    let feed_ana = feed_path(&app, &ana).await;
    let feed_ben = feed_path(&app, &ben).await;
    let mut tokens = vec![(Who::Organizer, api_token(&app, organizer.id, Scope::Organizer).await)];
    for (who, a) in [(Who::Ana, &ana), (Who::Ben, &ben)] {
        let user = user_of_registration(&app, a.registration_id).await;
        tokens.push((who, api_token(&app, user, Scope::Attendee).await));
    }
    let schedule_ana = schedule_token(&app, &ana).await;
    let feed_organizer = organizer_feed_token(&app).await;
    Flow {
        app,
        ana,
        ben,
        outsider,
        organizer_id: organizer.id,
        ids,
        proposals,
        feed_ana,
        feed_ben,
        schedule_ana,
        feed_organizer,
        material,
        tokens,
        log,
        canaries,
    }
}

/// Ana proposes one proposal per kept label, with the session's canaries in its title and
/// abstract and Ben named by address; Ben confirms by his link; the organizer comments,
/// scores and decides: RED accepted (a draft session), AMBER+STRICT asked for changes,
/// AMBER rejected. Returns the proposals' ids.
async fn propose_and_decide(
    app: &TestApp,
    canaries: &Canaries,
    ana: &Attendee,
    ben: &Attendee,
) -> Vec<(S, i64)> {
    assert_eq!(app.post_form(CALL, &call_form(&[])).await.status(), 303, "the call is open");
    let mut proposals = Vec::new();
    for s in [S::Red, S::Strict, S::Amber] {
        let (title, abstract_text) = (canaries.title(s), canaries.abstract_text(s));
        let form = [
            ("title", title.as_str()),
            ("abstract_text", abstract_text.as_str()),
            ("kind", "Case study"),
            ("minutes", "30"),
            ("tlp", s.label().as_str()),
            ("speaker_email", "ben@cert-at.example"),
        ];
        let res = app.post_form_with(&ana.client, PROPOSALS, &form).await;
        assert_eq!(res.status(), 303, "{s:?} proposed");
        let id =
            location(&res).trim_start_matches(&format!("{PROPOSALS}/")).split('?').next().map(str::to_owned);
        proposals.push((s, id.expect("id").parse::<i64>().expect("an id")));
    }
    app.dispatch_pending_emails().await;
    for mail in app.emails() {
        let text = mail.body_text(0).unwrap_or_default().into_owned();
        if let Some(at) = text.find("/speakers/") {
            let path = text[at..].split_whitespace().next().expect("link").to_owned();
            assert_eq!(app.post_form_with(&ben.client, &path, &[]).await.status(), 200, "Ben confirms");
        }
    }
    let review = |id: i64| format!("/admin/meetings/{SLUG}/proposals/{id}");
    for ((s, id), (decision, message)) in proposals.iter().zip([
        ("accept", "Welcome to the program."),
        ("ask_for_changes", "Please shorten it."),
        ("reject", "Not this year."),
    ]) {
        let (id, path) = (*id, review(*id));
        assert_eq!(
            app.post_form(&format!("{path}/comments"), &[("comment", "Good fit.")]).await.status(),
            303
        );
        assert_eq!(app.post_form(&format!("{path}/score"), &[("score", "5")]).await.status(), 303);
        let res =
            app.post_form(&format!("{path}/decision"), &[("decision", decision), ("message", message)]).await;
        assert_eq!(res.status(), 303, "{s:?} ({id}) decided");
    }
    app.dispatch_pending_emails().await;
    proposals
}

/// The organizer shares a TLP:RED file named after the RED title's canary on the RED
/// session; Ana downloads it. Returns its id.
async fn share_red_file(app: &TestApp, canaries: &Canaries, red: i64, ana: &Attendee) -> i64 {
    let path = format!("/meetings/{SLUG}/sessions/{red}/materials");
    let name = format!("{}-slides.txt", canaries.of(S::Red, Title));
    let res = upload(app, &app.client, &path, &name, "TLP:RED", b"Indicators.\n").await;
    assert_eq!(res.status(), 303, "the RED file is shared");
    let page = app.page_with(&ana.client, &format!("/meetings/{SLUG}/sessions/{red}")).await;
    let at = page.find(&format!("{path}/")).expect("the file is listed") + path.len() + 1;
    let id: i64 = page[at..].split('"').next().and_then(|i| i.parse().ok()).expect("its id");
    let res = ana.client.get(app.url(&format!("{path}/{id}"))).send().await.expect("sent");
    assert_eq!(res.status(), 200, "Ana downloads it");
    app.dispatch_pending_emails().await;
    id
}

#[tokio::test]
async fn no_red_title_and_no_amber_abstract_leaves_the_app_and_the_agenda_pages_show_them() {
    let flow = flow().await;
    let mut wrong = Vec::new();
    for (name, read, rule) in OUTPUTS {
        wrong.extend(flow.check(name, *read, *rule).await);
    }
    assert!(
        wrong.is_empty(),
        "TLP canaries where T1 forbids them, or missing where they belong:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_oracle_lets_out_amber_titles_only() {
    let c = Canaries::new();
    for s in SESSIONS {
        assert_eq!(c.may_leave(s, Title), s.label() != Tlp::Red, "{s:?}");
        assert!(!c.may_leave(s, Abstract) && !c.may_leave(s, Speaker) && !c.may_leave(s, Comment), "{s:?}");
    }
}

#[tokio::test]
async fn a_request_path_that_does_not_parse_is_not_written_to_the_debug_log() {
    let log = start_capture();
    let app = spawn_app().await;
    // A path part that fails its extractor (an id that is not a number), carrying a marker
    // as a secret address would carry its token.
    let marker = format!("rawpath{}", uuid::Uuid::new_v4().simple());
    let res = reqwest::Client::new()
        .put(app.url(&format!("/api/v1/meetings/{SLUG}/picks/{marker}")))
        .header("authorization", "Bearer cm_unknown")
        .send()
        .await
        .expect("sent");
    assert!(res.status().is_client_error(), "refused: {}", res.status());
    let text = log.text();
    assert!(!text.contains(&marker), "the log holds the raw path:\n{text}");
}
