//! One role's pass over the table: the requests, the checks of each answer, and the
//! snapshots around each refusal and each HEAD.

use csirt_meet::{
    domain::token::Token,
    routes::{
        TABLE,
        table::{Route, Verb},
    },
};
use reqwest::{Method, header};

use super::{
    expectations::expected,
    fixtures::{Fixtures, session_for},
    roles::{self, Answer, Role},
    snapshot::{Scope, Snapshots, difference},
};
use crate::{fixtures::SLUG, helpers::TestApp};

/// A role's browser: the cookies it sends and the token its forms carry.
pub(super) struct Visitor {
    cookie: String,
    pub csrf: String,
}

impl Visitor {
    pub(super) async fn new(app: &TestApp, fx: &Fixtures, role: Role) -> Self {
        let Some(&(_, user_id, both_steps)) = fx.players.iter().find(|p| p.0 == role) else {
            let csrf = Token::generate().as_str().to_owned();
            return Self { cookie: format!("csrf={csrf}"), csrf };
        };
        let (session, csrf) = session_for(app, user_id, both_steps).await;
        // The CSRF cookie too, as a browser may hold one: a refused session must not make
        // its token count, and must not make the visitor worse off than anonymous.
        Self { cookie: format!("session={session}; csrf={csrf}"), csrf }
    }
}

pub(super) fn fill(route: &Route, verb: Verb, fx: &Fixtures) -> String {
    let unknown = Token::generate().as_str().to_owned();
    let link = |valid: &str| if verb == Verb::Get { valid.to_owned() } else { unknown.clone() };
    let ids = [
        ("/organizers/invitations/{id}", fx.organizer_invitation),
        ("/organizers/{id}", fx.other_organizer),
        ("/invitations/{id}", fx.invitation),
        ("/sessions/{id}", fx.session),
        ("/proposals/{id}", fx.proposal),
        ("/tracks/{id}", fx.track),
        ("/rooms/{id}", fx.room),
        ("/questions/{id}", fx.question),
        ("/teams/{id}", fx.team),
        ("/editions/{id}", fx.edition),
        ("/registrations/{id}", fx.registration),
        ("/calendar/{id}", fx.registration),
        ("/checkin/{id}", fx.registration),
        ("/api-tokens/{id}", fx.api_token),
    ];
    let tokens = [
        ("/feeds/{token}", fx.feed_token.clone()),
        ("/feeds/organizer/{token}", fx.organizer_feed_token.clone()),
        ("/schedules/{token}", fx.schedule_token.clone()),
        ("/setup/{token}", link(&fx.setup_token)),
        ("/invitations/{token}", link(&fx.invitation_token)),
        ("/verify/{token}", link(&fx.verify_token)),
        ("/password/reset/{token}", link(&fx.reset_token)),
        ("/speakers/{token}", link(&fx.speaker_token)),
        ("/endorsements/{token}", link(&fx.endorsement_token)),
    ];
    let mut path = route.path.replace("{slug}", SLUG);
    for (pattern, id) in ids {
        path = path.replace(pattern, &pattern.replace("{id}", &id.to_string()));
    }
    for (pattern, token) in tokens {
        path = path.replace(pattern, &pattern.replace("{token}", &token));
    }
    path = path.replace("{material}", &fx.material.to_string());
    path = path.replace("{file}", "schedule.xml").replace("{date}", "2026-06-20");
    assert!(!path.contains('{'), "no fixture for the parameters of {}: add one in guard_matrix", route.path);
    path
}

/// "200", or "303 /path" (the query left out).
fn describe(answer: Answer) -> String {
    match answer {
        Answer::Status(s) => s.to_string(),
        Answer::SeeOther(to) => format!("303 {to}"),
    }
}

fn seen(res: &reqwest::Response) -> String {
    let status = res.status().as_u16();
    let location = res.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).unwrap_or("");
    let path = location.split(['?', '#']).next().unwrap_or("");
    if status == 303 { format!("303 {path}") } else { status.to_string() }
}

/// What HEAD must repeat of GET.
fn head_part(res: &reqwest::Response) -> String {
    let h = |name| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    format!("{} {} {} {}", seen(res), h(header::CONTENT_TYPE), h(header::CACHE_CONTROL), h(header::ETAG))
}

pub(super) struct Run<'a> {
    pub app: &'a TestApp,
    pub fx: &'a Fixtures,
    pub client: reqwest::Client,
    pub snapshots: Snapshots,
    pub failures: Vec<String>,
    pub requests: usize,
}

impl Run<'_> {
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        visitor: &Visitor,
        token: Option<&str>,
    ) -> reqwest::Response {
        self.requests += 1;
        self.snapshots.forget();
        let mut req =
            self.client.request(method.clone(), self.app.url(path)).header(header::COOKIE, &visitor.cookie);
        if method == Method::POST {
            req = req.form(&token.map(|t| vec![("csrf_token", t)]).unwrap_or_default());
        }
        req.send().await.expect("sent")
    }

    pub(super) async fn role(&mut self, role: Role, mut visitor: Visitor) {
        let gets: Vec<&Route> = TABLE.iter().filter(|r| r.verbs.contains(&Verb::Get)).collect();
        let mut posts: Vec<&Route> = TABLE.iter().filter(|r| r.verbs.contains(&Verb::Post)).collect();
        // Withdrawing ends the attendee's access: last, so the routes before it still see
        // an approved attendee.
        posts.sort_by_key(|r| r.path.ends_with("/withdraw"));
        let mut heads = Vec::new();
        // HEAD first, while the session's last use is old enough for a GET to record it.
        for route in &gets {
            let path = fill(route, Verb::Get, self.fx);
            let before = self.snapshots.before(Scope::Everything).await;
            let res = self.send(Method::HEAD, &path, &visitor, None).await;
            let after = self.snapshots.after(Scope::Everything).await;
            let what = format!("HEAD {path} as {role:?}");
            if before != after {
                self.failures.push(format!("{what} wrote: {}", difference(&before, &after)));
            }
            self.check(&what, &res, expected(Verb::Get, route.path, role));
            let part = head_part(&res);
            if !res.bytes().await.expect("body").is_empty() {
                self.failures.push(format!("{what} has a body"));
            }
            heads.push(part);
        }
        for (route, head) in gets.iter().zip(heads) {
            let path = fill(route, Verb::Get, self.fx);
            let what = format!("GET {path} as {role:?}");
            let expect = expected(Verb::Get, route.path, role);
            let res = self.checked(&what, expect, Method::GET, &path, &visitor, None).await;
            if head_part(&res) != head {
                self.failures.push(format!("{what}: HEAD answered {head}, GET {}", head_part(&res)));
            }
        }
        for route in &posts {
            let path = fill(route, Verb::Post, self.fx);
            let what = format!("POST {path} without a token as {role:?}");
            self.checked(&what, Some(roles::FORBIDDEN), Method::POST, &path, &visitor, None).await;
        }
        for route in &posts {
            let path = fill(route, Verb::Post, self.fx);
            let what = format!("POST {path} as {role:?}");
            let expect = expected(Verb::Post, route.path, role);
            let token = visitor.csrf.clone();
            self.checked(&what, expect, Method::POST, &path, &visitor, Some(&token)).await;
            // A fresh session: the POST may have ended the one it came with.
            if role != Role::Anonymous {
                visitor = Visitor::new(self.app, self.fx, role).await;
            }
        }
    }

    /// Sends, checks the answer, and that a refusal changed nothing.
    pub(super) async fn checked(
        &mut self,
        what: &str,
        expect: Option<Answer>,
        method: Method,
        path: &str,
        visitor: &Visitor,
        token: Option<&str>,
    ) -> reqwest::Response {
        // A refusal changes nothing; a GET, admitted or not, changes no data (point 4: no GET
        // changes state), only the bookkeeping of a read.
        let read = method == Method::GET;
        let scope = if read {
            Some(Scope::Data)
        } else {
            expect.is_some_and(Answer::changes_nothing).then_some(Scope::Product)
        };
        let before = match scope {
            Some(scope) => Some(self.snapshots.before(scope).await),
            None => None,
        };
        let res = self.send(method, path, visitor, token).await;
        if let (Some(scope), Some(before)) = (scope, before) {
            let after = self.snapshots.after(scope).await;
            if before != after {
                let done = if read { "a GET, it" } else { "refused, it" };
                self.failures.push(format!("{what} was {done} changed: {}", difference(&before, &after)));
            }
        }
        self.check(what, &res, expect);
        res
    }

    fn check(&mut self, what: &str, res: &reqwest::Response, expect: Option<Answer>) {
        let Some(expect) = expect else { return };
        if seen(res) != describe(expect) {
            self.failures.push(format!("{what}: expected {}, got {}", describe(expect), seen(res)));
        }
    }
}
