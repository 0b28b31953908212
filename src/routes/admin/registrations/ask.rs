//! What the confirmation pages of the destructive decisions say: who is rejected or
//! revoked, the reason they receive by email, and for a revocation that their calendar
//! entries are cancelled. The button repeats the decision form with `confirm=yes`.

use crate::{
    domain::registration::Decision,
    routes::confirm::{Ask, Carry},
};

/// The person a single decision is about.
pub(super) struct Person {
    pub name: String,
    pub email: String,
    pub team: String,
}

/// The question before rejecting or revoking one registration.
pub(super) fn one(slug: &str, meeting: &str, id: i64, who: &Person, decision: Decision, reason: &str) -> Ask {
    let Person { name, email, team } = who;
    let (title, happens, receives, button) = if decision == Decision::Revoke {
        (
            format!("Revoke the registration of {name}?"),
            format!(
                "{name} ({team}) can no longer attend {meeting}. The meeting and the sessions in their \
                 calendar are cancelled, and their calendar feed links stop working."
            ),
            format!(
                "{name} receives an email at {email} with this reason, and a cancellation for each \
                 calendar entry:"
            ),
            "Revoke the registration",
        )
    } else {
        (
            format!("Reject the registration of {name}?"),
            format!("{name} ({team}) cannot attend {meeting}."),
            format!("{name} receives an email at {email} with this reason:"),
            "Reject the registration",
        )
    };
    Ask {
        title,
        happens,
        receives,
        quote: Some(reason.to_owned()),
        action: format!("/admin/meetings/{slug}/registrations/{id}/decision"),
        carry: vec![Carry::new("decision", decision.as_str()), Carry::new("reason", reason)],
        button,
        back: format!("/admin/meetings/{slug}/registrations/{id}"),
        ..Ask::default()
    }
}

/// The question before rejecting the checked registrations: how many, and who.
/// `form` is the bulk form as it came (ids, reason, the queue's filters).
pub(super) fn bulk(
    slug: &str,
    meeting: &str,
    people: Vec<String>,
    unaffected: usize,
    form: &[(String, String)],
    back: String,
) -> Ask {
    let count = people.len();
    let (title, button) = if count == 1 {
        ("Reject 1 registration?".to_owned(), "Reject this registration")
    } else {
        (format!("Reject {count} registrations?"), "Reject these registrations")
    };
    let reason = form.iter().find(|(k, _)| k == "reason").map(|(_, v)| v.trim().to_owned());
    Ask {
        title,
        page_title: None,
        happens: match unaffected {
            0 => format!("These people cannot attend {meeting}:"),
            1 => format!(
                "1 checked registration is not pending or waitlisted and stays as it is. These people cannot attend {meeting}:"
            ),
            n => format!(
                "{n} checked registrations are not pending or waitlisted and stay as they are. These people cannot attend {meeting}:"
            ),
        },
        names: people,
        receives: "Each of them receives an email with this reason:".into(),
        quote: reason,
        action: format!("/admin/meetings/{slug}/registrations/bulk"),
        carry: form
            .iter()
            .filter(|(k, _)| k != "csrf_token" && k != "confirm")
            .map(|(k, v)| Carry::new(k, v))
            .collect(),
        button,
        back,
    }
}
