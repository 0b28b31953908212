//! `csirt-meet create-organizer --email --name`: an organizer account from the command line
//! (instead of the first-run link). The password comes from a prompt, or from standard
//! input when it is not a terminal; never from the command line, where `ps` would show it.

use std::io::{BufRead as _, IsTerminal as _};

use anyhow::{Context as _, bail};

use crate::{
    clock::Clock,
    config::Settings,
    credentials::password,
    domain::states::{Purpose, Role},
    domain::{email::Email, password::NewPassword},
    models::{audit, one_time_token, user},
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The organizer's email address (their sign-in name)
    #[arg(long)]
    pub email: String,
    /// The organizer's full name
    #[arg(long)]
    pub name: String,
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let again = rpassword::prompt_password("The same password again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub fn run(settings: Settings, args: Args) -> anyhow::Result<()> {
    let email = Email::parse(&args.email)?;
    let name = args.name.trim();
    if name.is_empty() {
        bail!("--name must not be empty");
    }
    let password = NewPassword::parse(&read_password()?, Some(email.as_str()))?;
    let hash = password::hash(password.expose())?;
    let db = super::open_database(&settings)?;
    let now = Clock::system().now_naive();
    let created = crate::db::transaction(&mut *db.get()?, |c| {
        if user::by_email(c, email.as_str())?.is_some() {
            return Ok::<_, diesel::result::Error>(None);
        }
        let new = user::NewUser {
            email: email.as_str(),
            name,
            role: Role::Organizer,
            password_hash: &hash,
            email_verified_at: Some(now),
            created_at: now,
        };
        let u = user::insert(c, &new)?;
        one_time_token::retire_unused(c, Purpose::Setup, now)?;
        audit::record(c, None, "organizer.created", &format!("user {}", u.id), "command line", now)?;
        Ok(Some(u))
    })?;
    if created.is_none() {
        bail!("an account with the address {email} exists already");
    }
    println!(
        "Organizer {name} <{email}> created. Sign in at {} and set up two-step sign-in.",
        settings.link("/login")
    );
    Ok(())
}
