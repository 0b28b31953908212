// The product in a real browser: an organizer's first run, a meeting next to a FIRST
// conference, the registry, invitations by email, vetting at a team's cap, and the agenda
// editor. Every step asserts what the person sees, runs axe-core, and saves screenshots
// at 1280×800 and 390×844 (screenshots/, git-ignored).
//
// Run through `bash .ci/browser` (it builds the debug binary first), or by hand:
//   CARGO_TARGET_DIR=… npm test            (in tests/browser, after `npm ci`)
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { launch, personContext, Inspector, SCREENSHOTS, DESKTOP, PHONE } from "./lib/browser.mjs";
import { REPO, startServer } from "./lib/server.mjs";
import { calendarPartOf, linkIn, waitForMessage } from "./lib/mail.mjs";
import { totp } from "./lib/totp.mjs";
import { addDays, isoDate, zonedInstant } from "./lib/dates.mjs";
import { readCalendar } from "./lib/ical.mjs";

const FIXTURE = path.join(REPO, "tests/fixtures/national_csirts.csv");
const ORGANIZER = { name: "Olga Organizer", email: "olga@cert.org", password: "granite lantern over Denver 7" };
const TEAM = { short: "CERT.at", option: "CERT.at / GovCERT Austria (AT)" };
const INVITEES = [
  { name: "Anna Approved", email: "anna@cert.at", role: "Incident handler" },
  { name: "Wim Waitlisted", email: "wim@cert.at", role: "Analyst" },
  { name: "Rita Rejected", email: "rita@cert.at", role: "Intern" },
];
const REJECT_REASON = "Each team sends its incident handlers this year";
const ZONE = "America/Denver";
// The invitees' own clocks: the agenda's script adds their time beside the meeting's.
const VIENNA = "Europe/Vienna";
const viennaTime = (iso) =>
  new Date(iso).toLocaleTimeString("en-GB", { timeZone: VIENNA, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
// The release the organizer publishes; `day` is the meeting day's index, times are local.
const SESSIONS = [
  { title: "Welcome and introductions", kind: "Talk", room: "Main hall (120 seats)", day: 0, starts: "09:00", ends: "09:30", tlp: "TLP:CLEAR" },
  { title: "Cross-border incident coordination", kind: "Panel", room: "Main hall (120 seats)", day: 0, starts: "09:30", ends: "10:30", tlp: "TLP:AMBER", track: "Incident response", speakers: "Anna Approved (CERT.at)" },
  { title: "Coffee break", kind: "Break", room: "", day: 0, starts: "10:30", ends: "11:00", tlp: "TLP:CLEAR" },
  { title: "National CSIRT maturity workshop", kind: "Breakout", room: "Breakout room (30 seats)", day: 1, starts: "09:00", ends: "10:30", tlp: "TLP:GREEN" },
  // Its title must never leave the site: calendars show only the placeholder.
  { title: "Closed-door exchange on Operation Lanternfish", kind: "Talk", room: "Breakout room (30 seats)", day: 1, starts: "11:00", ends: "12:00", tlp: "TLP:RED" },
];
const RED_PLACEHOLDER = "TLP:RED session — details in the agenda";
const session = (title) => SESSIONS.find((s) => s.title.startsWith(title));
/** A session's start and end as UTC instants, computed here from the local times. */
const instants = (s) => {
  const day = addDays(meetingFirst, s.day);
  return { start: zonedInstant(day, s.starts, ZONE), end: zonedInstant(day, s.ends, ZONE) };
};
// Someone at another recognized team, who finds the meeting and registers on their own.
const NEWCOMER = { name: "Nina Newcomer", email: "nina@cert.be", role: "Threat analyst", team: "CERT.be" };

// A FIRST conference eight weeks from today in Denver, five days long, and the meeting on
// the two days right after it (the co-location rule: no overlap, at most two whole days
// between them).
const today = new Date();
const conferenceFirst = addDays(today, 56);
const conferenceLast = addDays(conferenceFirst, 4);
const meetingFirst = addDays(conferenceLast, 1);
const meetingLast = addDays(conferenceLast, 2);
const SLUG = `natcsirt-denver-${isoDate(meetingFirst).slice(0, 4)}`;
const MEETING_TITLE = "NatCSIRT Denver — Annual Technical Meeting of CSIRTs with National Responsibility";

const server = {};
const inspector = new Inspector();
let browser;
// The browser of the Back journey, with its back/forward cache on.
let backBrowser;
const people = {};

/** A step that is skipped (not failed again) once an earlier step failed. */
let broken = null;
function step(name, fn) {
  test(name, async (t) => {
    if (broken) {
      t.skip(`an earlier step failed: ${broken}`);
      return;
    }
    try {
      await fn(t);
    } catch (e) {
      broken = name;
      await explain(e);
      throw e;
    }
  });
}

/** On a failure: where each person was, what they saw, and the server's last words. */
async function explain(error) {
  for (const [who, page] of Object.entries(people)) {
    const text = await page.locator("body").innerText().catch(() => "(no page)");
    await page.screenshot({ path: path.join(SCREENSHOTS, `FAILED-${who}.png`), fullPage: true }).catch(() => {});
    console.log(`--- ${who} at ${page.url()}:\n${text.slice(0, 3000)}`);
  }
  console.log(`--- server output (last lines):\n${server.output?.().split("\n").slice(-30).join("\n")}`);
  console.log(`--- error: ${error.message}`);
}

async function open(who, options) {
  const context = await personContext(browser, options);
  const page = await context.newPage();
  inspector.watch(page);
  people[who] = page;
  return page;
}

/** The text a person reads on the page (main content, flash messages included). */
async function sees(page, ...texts) {
  const body = await page.locator("body").innerText();
  for (const text of texts) {
    if (text instanceof RegExp) assert.match(body, text, `${page.url()} should show ${text}`);
    else assert.ok(body.includes(text), `${page.url()} should show "${text}"; it shows:\n${body}`);
  }
}

/**
 * Moves the focus with Tab (as a keyboard user does, at most 150 presses) until `target`
 * has it, and checks that the focus is visible (an outline of at least 2px).
 */
async function tabTo(page, target) {
  const handle = await target.elementHandle();
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press("Tab");
    if (await handle.evaluate((el) => el === document.activeElement)) {
      const ring = await handle.evaluate((el) => {
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      assert.ok(ring.style !== "none" && ring.width >= 2, `visible focus on ${await target.toString()}: ${JSON.stringify(ring)}`);
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Signs `person` in with their password (members have no second step). */
async function signIn(page, person) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/me");
}

const TLP_ORDER = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"];

/**
 * The text of each page of a PDF, whole and its top 2 cm alone (the page margin where the
 * printout's label goes), read by poppler's `pdftotext` (.ci/browser installs it).
 */
async function pdfPages(file) {
  const run = promisify(execFile);
  const { stdout: whole } = await run("pdftotext", ["-layout", file, "-"]);
  const texts = whole.split("\f").slice(0, -1);
  const pages = [];
  for (const [i, text] of texts.entries()) {
    const n = String(i + 1);
    // 2 cm is 56.7 points; pdftotext measures in points at its default 72 dpi.
    const { stdout: top } = await run("pdftotext", ["-f", n, "-l", n, "-x", "0", "-y", "0", "-W", "1000", "-H", "56", file, "-"]);
    pages.push({ text, top });
  }
  return pages;
}

async function look(page, name, options) {
  const found = await inspector.look(page, name, options);
  for (const v of found) console.log(`axe [${v.impact}] ${v.id} on ${name} (${v.width}): ${v.help}`);
}

describe("csirt-meet in a browser", () => {
  before(async () => {
    // Only this run's pictures in the folder.
    await rm(SCREENSHOTS, { recursive: true, force: true });
    Object.assign(server, await startServer());
    browser = await launch();
  });

  after(async () => {
    await backBrowser?.close();
    await browser?.close();
    await server.stop?.();
  });

  step("first run: the setup link creates the organizer, who sets up two-step sign-in", async () => {
    const page = await open("organizer");
    assert.match(server.setupLink, /\/setup\/[0-9a-f]{64}$/, "the server prints a setup link");
    await page.goto(server.setupLink);
    await sees(page, "This is the first account of this installation", "Next, you set up two-step sign-in");
    await look(page, "setup");
    await page.getByLabel("Your name").fill(ORGANIZER.name);
    await page.getByLabel("Email address").fill(ORGANIZER.email);
    await page.getByLabel("Password", { exact: true }).fill(ORGANIZER.password);
    await page.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL("**/me/second-factor");
    await sees(page, "Set up two-step sign-in", "First confirm that it is you");
    await page.getByLabel("Current password").fill(ORGANIZER.password);
    await page.getByRole("button", { name: "Continue" }).click();
    await sees(page, "Set up two-step sign-in", "time-based, 6 digits, 30 seconds");
    await look(page, "second-factor-setup");
    const secret = (await page.locator("#totp-secret").innerText()).trim();
    assert.match(secret, /^[A-Z2-7 ]{16,}$/, "the page shows a base32 key");
    // A wrong code first: the refusal is next to the field, and the same key stays.
    await page.getByLabel("Code from the app").fill("000000" === totp(secret).code ? "111111" : "000000");
    await page.getByRole("button", { name: "Turn on" }).click();
    await sees(page, "That code is not right");
    assert.equal((await page.locator("#totp-secret").innerText()).trim(), secret);
    await look(page, "second-factor-wrong-code");
    await page.getByLabel("Code from the app").fill(totp(secret).code);
    await page.getByRole("button", { name: "Turn on" }).click();

    await sees(page, "Your recovery codes", "Two-step sign-in is on.", "This page shows them only now.");
    const codes = await page.locator("#recovery-codes li").allInnerTexts();
    assert.ok(codes.length >= 8, `recovery codes shown: ${codes.length}`);
    ORGANIZER.recoveryCodes = codes.map((c) => c.trim());
    await look(page, "recovery-codes");
    await page.getByRole("link", { name: /I have saved them/ }).click();

    await page.waitForURL("**/admin");
    await sees(page, "Organizer console", "Needs you now", `Sign out ${ORGANIZER.name}`);
    await look(page, "console");
  });

  step("the organizer signs out and back in with the keyboard alone, using a recovery code", async () => {
    const page = people.organizer;
    await tabTo(page, page.getByRole("button", { name: `Sign out ${ORGANIZER.name}` }));
    await page.keyboard.press("Enter");
    await page.waitForURL("**/login?done=signed-out");
    await sees(page, "You are signed out.", "Sign in", "I forgot my password");
    await look(page, "login-signed-out");

    // A wrong password first: one message for every failure, the address kept.
    await tabTo(page, page.getByLabel("Email address"));
    await page.keyboard.type(ORGANIZER.email);
    await tabTo(page, page.getByLabel("Password"));
    await page.keyboard.type("not the password at all");
    await page.keyboard.press("Enter");
    // The same address answers (422): wait for the announced failure, not for a new URL.
    await page.getByRole("alert").waitFor();
    await sees(page, "Sign-in failed. Check the email address and the password.");
    assert.equal(await page.getByLabel("Email address").inputValue(), ORGANIZER.email);
    await look(page, "login-failed");

    await tabTo(page, page.getByLabel("Password"));
    await page.keyboard.type(ORGANIZER.password);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/login/second-factor");
    await sees(page, "Two-step sign-in", "recovery codes");
    // The code field has the focus already (autofocus): type and press Enter.
    assert.equal(await page.evaluate(() => document.activeElement?.id), "code");
    await look(page, "login-second-factor");
    await page.keyboard.type(ORGANIZER.recoveryCodes[0]);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/admin");
    await sees(page, "Organizer console", `Sign out ${ORGANIZER.name}`);
  });

  step("the organizer creates a meeting next to the FIRST conference in Denver", async () => {
    const page = people.organizer;
    await page.goto(`${server.url}/admin/meetings`);
    await sees(page, "Meetings", "No meeting yet");
    await look(page, "meetings-empty");
    await page.getByRole("link", { name: "Create a meeting" }).click();
    await page.waitForURL("**/admin/meetings/new");
    await sees(page, "The co-located FIRST conference", "Usually the meeting is on the Saturday and Sunday right after it");
    // The form proposes the next FIRST conference it knows and the slot after it (none
    // once the last listed edition has passed), and always a cap.
    assert.equal(await page.locator("#default_cap").inputValue(), "3");
    if (await page.locator("#first_day").inputValue()) {
      assert.match(await page.locator("#title").inputValue(), /^NatCSIRT \d{4}/);
    } else {
      console.log("note: the meeting form proposed no FIRST conference for today's date");
    }
    await look(page, "meeting-new");

    const fill = async (id, value) => page.locator(`#${id}`).fill(value);
    await fill("title", MEETING_TITLE);
    await fill("slug", SLUG);
    await fill("city", "Denver");
    await fill("venue", "Colorado Convention Center");
    await page.locator("#time_zone").selectOption("America/Denver");
    await fill("first_day", isoDate(meetingFirst));
    await fill("last_day", isoDate(meetingLast));
    await fill("conference_name", "FIRST Conference (test edition)");
    await fill("conference_city", "Denver");
    await fill("conference_first_day", isoDate(conferenceFirst));
    await fill("conference_last_day", isoDate(conferenceLast));
    // Opened a week ago: "today" in UTC can still be tomorrow in Denver.
    await fill("registration_opens", isoDate(addDays(today, -7)));
    await fill("registration_closes", isoDate(addDays(meetingFirst, -7)));
    await fill("default_cap", "3");
    await page.getByRole("button", { name: "Create meeting" }).click();

    await page.waitForURL(`**/admin/meetings/${SLUG}?done=meeting-saved`);
    await sees(page, "The meeting is saved.", "Cancel this meeting");
    assert.equal(await page.getByLabel("City").first().inputValue(), "Denver");
    await look(page, "meeting-saved");
    await page.goto(`${server.url}/admin/meetings`);
    await sees(page, MEETING_TITLE, "FIRST Conference (test edition), Denver");
    await look(page, "meetings");
  });

  step("the organizer imports the national CSIRT list and caps one team at 1", async () => {
    const page = people.organizer;
    await page.goto(`${server.url}/admin/teams`);
    await sees(page, "The registry is empty.");
    await look(page, "teams-empty");
    await page.getByRole("link", { name: "Import from CSV" }).click();
    await sees(page, "Import teams", "Teams are matched by short name");
    await look(page, "team-import");
    // The page's script fills the box from the chosen file; the form stays a plain POST.
    await page.getByLabel("Choose the CSV file").setInputFiles(FIXTURE);
    await page.waitForFunction(() => document.querySelector("#csv").value.includes("CERT.at"));
    await page.getByRole("button", { name: "Import the teams" }).click();
    await sees(page, "The file is imported.", /\d+ teams created, 0 teams updated/);
    await look(page, "team-import-done");

    await page.getByRole("link", { name: "See the teams" }).click();
    await sees(page, TEAM.short, "recognized");
    await look(page, "teams");
    await page.getByRole("link", { name: TEAM.short, exact: true }).click();
    await sees(page, TEAM.short, "Status: recognized", "Suspend this team");
    await look(page, "team");
    // A cap that is not a number first: refused next to its field, the rest kept.
    await page.getByLabel("Cap (optional)").fill("one");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("alert").waitFor();
    const cap = page.getByLabel("Cap (optional)");
    assert.equal(await cap.getAttribute("aria-invalid"), "true");
    const described = (await cap.getAttribute("aria-describedby")).split(/\s+/);
    const errorId = described.find((id) => id.endsWith("-error"));
    assert.ok(errorId, `the cap field points at its error: ${described}`);
    const error = page.locator(`#${errorId}`);
    assert.match(await error.innerText(), /Enter a whole number, 0 or more/);
    // Next to the field: in the same .field box, right above the input.
    assert.ok(await error.evaluate((el, field) => el.closest(".field") === field.closest(".field"), await cap.elementHandle()));
    assert.equal(await cap.inputValue(), "one", "the input is kept");
    await look(page, "team-bad-cap");
    await cap.fill("1");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL("**/admin/teams?done=team-saved");
    await sees(page, "The team's changes are saved.");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: TEAM.short, exact: true }) });
    assert.equal((await row.getByRole("cell").last().innerText()).trim(), "1", "the team's cap is 1");

    // The file lists no email domains: each team's comes from its website, unconfirmed,
    // and lets nobody register by themselves until an organizer confirms it.
    for (const [short, domain] of [[TEAM.short, "cert.at"], [NEWCOMER.team, "cert.be"]]) {
      await page.getByRole("link", { name: short, exact: true }).click();
      await sees(page, "Email domains waiting for confirmation", domain);
      if (short === TEAM.short) await look(page, "team-domain-unconfirmed");
      await page.getByRole("button", { name: `Confirm ${domain}` }).click();
      await sees(page, "The domain is confirmed.");
      await page.goto(`${server.url}/admin/teams`);
    }
  });

  step("the organizer invites three people of the team, and each invitation is emailed", async () => {
    const page = people.organizer;
    await page.goto(`${server.url}/admin/meetings/${SLUG}/invitations`);
    await sees(page, "Invite addresses", "No invitations yet.");
    await look(page, "invitations-empty");
    await page.getByLabel("Team").selectOption({ label: TEAM.option });
    await page.getByLabel("Email addresses").fill(INVITEES.map((p) => p.email).join("\n"));
    await page.getByRole("button", { name: "Send invitations" }).click();
    await page.waitForURL(`**/admin/meetings/${SLUG}/invitations?done=invitations-sent`);
    await sees(page, "The invitations are on their way.", ...INVITEES.map((p) => p.email));
    await look(page, "invitations-sent");
    for (const person of INVITEES) {
      const mail = await waitForMessage(server.mailDir, person.email);
      assert.match(mail.text, /the organizers invite you, as a member of/);
      person.link = linkIn(mail, `${server.url}/invitations/`);
    }
  });

  step("each invitee follows the emailed link and registers", async () => {
    for (const [i, person] of INVITEES.entries()) {
      const page = await open(person.email, { timezoneId: VIENNA });
      await page.goto(person.link);
      await sees(page, "You are invited to", MEETING_TITLE, "Denver", person.email);
      if (i === 0) await look(page, "invitation");
      person.password = `quiet harbour lamp ${i + 4821}`;
      if (i === 1) {
        // The second invitee uses the keyboard alone: Tab, type, Space on the button.
        await tabTo(page, page.getByLabel("Your name"));
        await page.keyboard.type(person.name);
        await tabTo(page, page.getByLabel("Password", { exact: true }));
        await page.keyboard.type(person.password);
        await tabTo(page, page.getByLabel("Your role or title in the team"));
        await page.keyboard.type(person.role);
        await tabTo(page, page.getByLabel(/List my name and team/));
        await page.keyboard.press("Space");
        assert.ok(await page.getByLabel(/List my name and team/).isChecked(), "Space checks the box");
        await tabTo(page, page.getByRole("button", { name: "Create account and register" }));
        await page.keyboard.press("Space");
      } else {
        await page.getByLabel("Your name").fill(person.name);
        await page.getByLabel("Password", { exact: true }).fill(person.password);
        await page.getByLabel("Your role or title in the team").fill(person.role);
        if (i === 0) await page.getByLabel(/List my name and team/).check();
        await page.getByRole("button", { name: "Create account and register" }).click();
      }
      await page.waitForURL("**/me?done=registered");
      await sees(page, "You are registered. The organizers review your registration.", person.name, "pending review");
      if (i === 0) await look(page, "registered");
    }
  });

  step("the organizer approves the first, waitlists the second at the cap, rejects the third", async () => {
    const page = people.organizer;
    await page.goto(`${server.url}/admin/meetings/${SLUG}/registrations`);
    await sees(page, ...INVITEES.map((p) => p.name));
    await look(page, "registrations");
    const row = (person) => page.getByRole("row").filter({ hasText: person.email });
    // Each decision is taken on the registration's own page, reached from its row.
    const open = async (person) => {
      await page.goto(`${server.url}/admin/meetings/${SLUG}/registrations`);
      await row(person).getByRole("link", { name: person.name }).click();
      await page.waitForURL(/\/registrations\/\d+$/);
      await sees(page, person.name, person.email, "Invited by", "at one of the team's domains");
    };

    await open(INVITEES[0]);
    await look(page, "registration-evidence");
    await page.getByRole("button", { name: "Approve" }).click();
    await sees(page, "The decision is saved and the person receives an email.");
    assert.match(await row(INVITEES[0]).innerText(), /approved/);

    await open(INVITEES[1]);
    await page.getByRole("button", { name: "Approve" }).click();
    await sees(page, "This team already has 1 approved attendee, its cap for this meeting");
    await look(page, "registrations-cap-reached");
    await page.getByRole("button", { name: "Waitlist this registration instead" }).click();
    await sees(page, "The decision is saved and the person receives an email.");
    assert.match(await row(INVITEES[1]).innerText(), /waitlisted/);

    // The rejection by keyboard alone: Tab to the reason, type it, Enter on Reject.
    await open(INVITEES[2]);
    await page.evaluate(() => document.activeElement?.blur());
    await tabTo(page, page.getByLabel(/Reason for a rejection/));
    await page.keyboard.type(REJECT_REASON);
    await tabTo(page, page.getByRole("button", { name: "Reject" }));
    await page.keyboard.press("Enter");
    // A rejection asks first, saying who is rejected and quoting the reason they receive.
    await page.waitForURL("**/registrations/*/decision");
    await sees(page, `Reject the registration of ${INVITEES[2].name}?`, REJECT_REASON);
    await look(page, "registrations-reject-confirm");
    await tabTo(page, page.getByRole("button", { name: "Reject the registration" }));
    await page.keyboard.press("Enter");
    await page.waitForURL("**/registrations?done=registration-decided");
    await sees(page, "The decision is saved and the person receives an email.");
    assert.match(await row(INVITEES[2]).innerText(), /rejected/);
    assert.match(await row(INVITEES[0]).innerText(), /approved/);
    await look(page, "registrations-decided");

    // Each person is told, and sees the decision on their own page.
    for (const [person, status] of [[INVITEES[0], "approved"], [INVITEES[1], "waitlisted"], [INVITEES[2], "rejected"]]) {
      const mail = await waitForMessage(server.mailDir, person.email, { subject: new RegExp(status, "i") });
      assert.ok(mail.text.includes(person.name), `the decision email greets ${person.name}`);
      const own = people[person.email];
      await own.goto(`${server.url}/me`);
      await sees(own, `Status: ${status}`);
    }
    await sees(people[INVITEES[2].email], REJECT_REASON);
    await look(people[INVITEES[0].email], "me-approved");
  });

  step("the organizer invites a co-organizer, revokes the invitation after a confirmation, and reads the audit log", async () => {
    const page = people.organizer;
    await page.goto(`${server.url}/admin/organizers`);
    await sees(page, ORGANIZER.email, "Invite an organizer");
    await page.getByLabel("Name").fill("Carl Coorganizer");
    await page.getByLabel("Email address").fill("carl@cert.org");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.waitForURL("**/admin/organizers?done=invited");
    await sees(page, "The invitation is on its way.", "Carl Coorganizer <carl@cert.org>");
    await look(page, "organizers");
    const mail = await waitForMessage(server.mailDir, "carl@cert.org");
    const link = linkIn(mail, `${server.url}/setup/`);

    await page.getByRole("listitem").filter({ hasText: "carl@cert.org" }).getByRole("button", { name: "Revoke" }).click();
    await page.waitForURL("**/admin/organizers/invitations/*/revoke");
    await sees(page, "Revoke the organizer invitation for carl@cert.org?", "The person receives no email");
    await look(page, "organizers-revoke-confirm");
    await page.getByRole("button", { name: "Revoke the invitation" }).click();
    await page.waitForURL("**/admin/organizers?done=invitation-revoked");
    await sees(page, "The invitation is revoked. Its link no longer works.");
    assert.ok(!(await page.locator("main").innerText()).includes("carl@cert.org"), "no longer listed as open");
    const carl = await browser.newPage();
    const res = await carl.goto(link);
    assert.equal(res.status(), 404, "the emailed link no longer works");
    await carl.close();

    await page.goto(`${server.url}/admin/audit`);
    await sees(page, "invited an organizer", "revoked an organizer invitation", "organizer.invitation_revoked");
    await look(page, "audit");
  });

  step("the organizer adds rooms and sessions in the agenda editor and publishes", async () => {
    const page = people.organizer;
    await page.goto(`${server.url}/admin/meetings/${SLUG}/agenda`);
    await sees(page, "Draft", "No rooms yet.", "No session on this day yet.");
    await look(page, "agenda-empty");

    for (const [name, seats] of [["Main hall", "120"], ["Breakout room", "30"]]) {
      const form = page.locator("form", { has: page.getByRole("group", { name: "Add a room" }) });
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Seats").fill(seats);
      await form.getByRole("button", { name: "Add room" }).click();
      await page.waitForURL("**?done=agenda-setup-saved");
      await sees(page, "Saved. Attendees see the change after you publish.");
      assert.equal(await page.locator(`input[name=name][value="${name}"]`).count(), 1, `room ${name} listed`);
    }
    const tracks = page.locator("form", { has: page.getByRole("group", { name: "Add a track" }) });
    await tracks.getByLabel("Name").fill("Incident response");
    await tracks.getByRole("button", { name: "Add track" }).click();
    await page.waitForURL("**?done=agenda-setup-saved");

    for (const [i, s] of SESSIONS.entries()) {
      await page.getByRole("link", { name: "Add a session" }).click();
      await page.waitForURL("**/agenda/sessions/new");
      if (i === 0) {
        await sees(page, "Save in the draft", "24-hour clock in America/Denver");
        await look(page, "session-new");
      }
      await page.getByLabel("Title").fill(s.title);
      await page.getByLabel("Abstract").fill(`${s.title}: what national teams learned this year.`);
      await page.getByLabel("TLP label").selectOption(s.tlp);
      await page.getByLabel("Kind").selectOption({ label: s.kind });
      if (s.track) await page.getByLabel("Track").selectOption({ label: s.track });
      if (s.room) await page.getByLabel("Room").selectOption({ label: s.room });
      await page.getByLabel("Day").selectOption({ index: s.day });
      await page.getByLabel("Starts at").fill(s.starts);
      await page.getByLabel("Ends at").fill(s.ends);
      if (s.speakers) await page.getByLabel("Outside guests").fill(s.speakers);
      await page.getByRole("button", { name: "Save in the draft" }).click();
      await page.waitForURL("**?done=session-saved");
      await sees(page, "The session is saved in the draft.", s.title);
    }
    await sees(page, "Publishing release 1 shows attendees these changes", "TLP:AMBER", "Incident response");
    await look(page, "agenda-draft");

    await page.getByRole("button", { name: "Publish release 1" }).click();
    await page.waitForURL("**?done=agenda-published");
    await sees(page, "The release is published. Attendees now see this agenda.", "nothing to publish");
    await look(page, "agenda-published");
  });

  step("the approved attendee reads the agenda as a grid and as a list, filters a track, picks two sessions", async () => {
    const page = people[INVITEES[0].email];
    await page.goto(`${server.url}/me`);
    await page.getByRole("link", { name: "Open the agenda" }).click();
    await page.waitForURL(`**/meetings/${SLUG}/agenda`);
    await sees(page, MEETING_TITLE, "Agenda", "Release 1", `Times are in the meeting's time zone, ${ZONE}.`);
    const grid = page.locator(".agenda-grid");
    const list = page.locator(".agenda-list");
    // Wide: the rooms × time grid; narrow (a phone): the list instead.
    assert.ok(await grid.isVisible(), "the grid shows at 1280 wide");
    assert.ok(!(await list.isVisible()), "the list is hidden at 1280 wide");
    await sees(page, "Main hall", "Welcome and introductions", "Cross-border incident coordination", "Coffee break");
    await page.setViewportSize(PHONE);
    assert.ok(await list.isVisible(), "the list shows at 390 wide");
    assert.ok(!(await grid.isVisible()), "the grid is hidden at 390 wide");
    await sees(page, "Welcome and introductions", "Anna Approved (CERT.at)");
    await page.setViewportSize(DESKTOP);
    await look(page, "agenda");

    // The track filter is a plain link; only that track's sessions stay.
    await page.getByRole("navigation", { name: "Tracks" }).getByRole("link", { name: "Incident response" }).click();
    await page.waitForURL(/[?&]track=/);
    const tracksNav = page.getByRole("navigation", { name: "Tracks" });
    assert.equal(await tracksNav.getByRole("link", { name: "Incident response" }).getAttribute("aria-current"), "true");
    await sees(page, "Cross-border incident coordination");
    const shown = await page.locator("main").innerText();
    for (const other of ["Welcome and introductions", "Coffee break"]) {
      assert.ok(!shown.includes(other), `the Incident response filter hides "${other}"`);
    }
    await look(page, "agenda-track");
    await tracksNav.getByRole("link", { name: "All tracks" }).click();
    await sees(page, "Welcome and introductions");

    // The first pick with the mouse, the second by keyboard alone (Tab to it, Enter).
    for (const [i, title] of ["Welcome and introductions", "Cross-border incident coordination"].entries()) {
      const add = page.getByRole("button", { name: `Add ${title} to my agenda` });
      if (i === 0) await add.click();
      else {
        await page.evaluate(() => document.activeElement?.blur());
        await tabTo(page, add);
        await page.keyboard.press("Enter");
      }
      await page.getByRole("button", { name: `Remove ${title} from my agenda` }).waitFor();
      const card = page.locator(".agenda-grid article.session", { hasText: title });
      assert.match(await card.innerText(), /in my agenda/, `${title} shows as picked`);
    }
    // "My agenda" shows the picks only.
    await page.getByRole("navigation", { name: "Sessions shown" }).getByRole("link", { name: "My agenda" }).click();
    await page.waitForURL(/[?&]mine=1/);
    const mine = await page.locator("main").innerText();
    assert.ok(mine.includes("Welcome and introductions") && mine.includes("Cross-border incident coordination"));
    assert.ok(!mine.includes("Coffee break"), "My agenda leaves out what was not picked");
    await look(page, "agenda-mine");

    // Each pick sends an invite (the default: by email and in the feed).
    for (const s of [session("Welcome"), session("Cross-border")]) {
      const mail = await waitForMessage(server.mailDir, INVITEES[0].email, {
        subject: new RegExp(`^Invitation: \\[${s.tlp}\\] ${s.title}$`),
      });
      const invite = readCalendar(mail.calendar);
      assert.equal(invite.method, "REQUEST");
      assert.equal(invite.events[0].start, instants(s).start, `${s.title}: the invite's start`);
      s.firstInvite = invite.events[0];
    }

    // The session page, with its .ics download (a calendar app reads the same instants).
    await page.getByRole("link", { name: "Cross-border incident coordination" }).first().click();
    await page.waitForURL(/\/sessions\/\d+$/);
    await sees(page, "Cross-border incident coordination", "TLP:AMBER", "Main hall", "Incident response", "This session is in your agenda.");
    // The script's only job: the viewer's own time beside the meeting's.
    await sees(page, `${viennaTime(instants(session("Cross-border")).start)} your time`);
    await look(page, "session");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download for your calendar (.ics)" }).click(),
    ]);
    const ics = readCalendar(await readFile(await download.path(), "utf8"));
    const s = session("Cross-border");
    assert.equal(ics.events.length, 1);
    assert.equal(ics.events[0].summary, s.title);
    assert.deepEqual([ics.events[0].start, ics.events[0].end], [instants(s).start, instants(s).end]);

    await page.goto(`${server.url}/meetings/${SLUG}/changes`);
    await sees(page, "Release 1", "Back to the agenda");
    await look(page, "changes-release-1");
  });

  step("the attendee makes a feed address and the feed holds the meeting and every released session", async () => {
    const page = people[INVITEES[0].email];
    await page.goto(`${server.url}/me`);
    await page.getByRole("link", { name: "Add the agenda to your calendar" }).click();
    await page.waitForURL("**/me/calendar");
    await sees(page, "My calendar", MEETING_TITLE, "You have no feed address yet.");
    await look(page, "calendar");
    await page.getByRole("button", { name: "Make my feed address" }).click();
    await sees(page, "Your new feed address.", "cannot show it again", "subscribe with webcal", "add to Google Calendar");
    const address = page.getByLabel("Outlook and other apps: this address");
    const https = (await address.inputValue()).trim();
    assert.match(https, new RegExp(`^${server.url}/feeds/[^/]+\\.ics$`));
    // The script adds a Copy button; whether the clipboard allows it or not, the person is told.
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await page.getByText(/Copied\.|Selected: copy it/).waitFor();
    assert.equal(
      await page.getByRole("link", { name: "subscribe with webcal" }).getAttribute("href"),
      https.replace(/^http:/, "webcal:"),
    );
    assert.ok((await page.getByRole("link", { name: "add to Google Calendar" }).getAttribute("href")).includes(encodeURIComponent("webcal://")));
    await look(page, "calendar-feed-made");
    INVITEES[0].feed = https;

    // A calendar app fetches it: no cookie, nothing but the address.
    const response = await fetch(https);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type"), /^text\/calendar/);
    const body = await response.text();
    const feed = readCalendar(body);
    const meeting = feed.events.find((e) => e.summary === MEETING_TITLE);
    assert.ok(meeting, `the meeting is in the feed: ${feed.events.map((e) => e.summary).join(" | ")}`);
    assert.ok(meeting.allDay, "the meeting is an all-day event");
    assert.equal(meeting.start, isoDate(meetingFirst));
    assert.equal(meeting.end, isoDate(addDays(meetingLast, 1)), "all-day DTEND is the day after the last");
    assert.ok(feed.events.some((e) => e.summary === "FIRST Conference (test edition)" && e.allDay));
    const timed = feed.events.filter((e) => !e.allDay);
    assert.equal(timed.length, SESSIONS.length, "every released session is in the feed");
    for (const s of SESSIONS) {
      const summary = s.tlp === "TLP:RED" ? RED_PLACEHOLDER : s.title;
      const e = timed.find((x) => x.summary === summary);
      assert.ok(e, `"${summary}" in the feed`);
      assert.ok(e.utc, `${summary} is written in UTC`);
      assert.deepEqual([e.start, e.end], [instants(s).start, instants(s).end], `${summary}: start and end`);
      s.feedSequence = e.sequence;
    }
    for (const red of SESSIONS.filter((s) => s.tlp === "TLP:RED")) {
      assert.ok(!body.includes(red.title) && !body.includes("Lanternfish"), "no TLP:RED title leaves the site");
    }
  });

  step("the organizer moves a picked session and publishes; the attendee sees it marked and gets an updated invite", async () => {
    const page = people.organizer;
    const s = session("Cross-border");
    await page.goto(`${server.url}/admin/meetings/${SLUG}/agenda`);
    const row = page.getByRole("row").filter({ hasText: s.title });
    await row.getByRole("link", { name: "Edit" }).click();
    await page.waitForURL(/\/agenda\/sessions\/\d+$/);
    assert.equal(await page.getByLabel("Title").inputValue(), s.title);
    await look(page, "session-edit");
    Object.assign(s, { starts: "11:00", ends: "12:00" });
    await page.getByLabel("Starts at").fill(s.starts);
    await page.getByLabel("Ends at").fill(s.ends);
    await page.getByRole("button", { name: "Save in the draft" }).click();
    await page.waitForURL("**?done=session-saved");
    await sees(page, "Publishing release 2 shows attendees these changes", `${s.title}: moved`);
    await page.getByLabel("Name of the release").fill("Coordination panel after the break");
    await page.getByRole("button", { name: "Publish release 2" }).click();
    await page.waitForURL("**?done=agenda-published");
    await sees(page, "The release is published. Attendees now see this agenda.");

    const anna = people[INVITEES[0].email];
    await anna.goto(`${server.url}/meetings/${SLUG}/agenda`);
    await sees(anna, "Release 2 (Coordination panel after the break)");
    const card = anna.locator(".agenda-grid article.session", { hasText: s.title });
    assert.match(await card.innerText(), /Changed since you last looked: moved/);
    const other = anna.locator(".agenda-grid article.session", { hasText: "Welcome and introductions" });
    assert.doesNotMatch(await other.innerText(), /Changed since you last looked/);
    await look(anna, "agenda-changed");
    await anna.getByRole("link", { name: "What changed between releases" }).click();
    await sees(anna, "Release 2: Coordination panel after the break", `${s.title}: moved`);
    await look(anna, "changes-release-2");

    // The mailbox: an update of the same event, a later SEQUENCE, the new start.
    const mail = await waitForMessage(server.mailDir, INVITEES[0].email, {
      subject: new RegExp(`^Updated invitation: \\[${s.tlp}\\] ${s.title}$`),
    });
    const raw = mail.raw;
    assert.match(raw, /Content-Type: text\/calendar;[^\n]*method=REQUEST/i, "the text/calendar part says REQUEST");
    const update = readCalendar(calendarPartOf(raw));
    assert.equal(update.method, "REQUEST");
    const event = update.events[0];
    assert.equal(event.uid, s.firstInvite.uid, "the update is about the invited event");
    assert.ok(event.sequence > s.firstInvite.sequence, `SEQUENCE rises: ${s.firstInvite.sequence} → ${event.sequence}`);
    assert.deepEqual([event.start, event.end], [instants(s).start, instants(s).end]);
    assert.ok(mail.text.includes(s.title), "the plain-text part names the session");

    // The feed follows too.
    const feed = readCalendar(await (await fetch(INVITEES[0].feed)).text());
    const moved = feed.events.find((e) => e.summary === s.title);
    assert.equal(moved.start, instants(s).start);
    assert.ok(moved.sequence > s.feedSequence, `feed SEQUENCE rises: ${s.feedSequence} → ${moved.sequence}`);
  });

  step("someone at another recognized team registers on their own, confirms the address, and waits for review", async () => {
    const page = await open(NEWCOMER.email);
    await page.goto(`${server.url}/register`);
    await sees(page, `Register for ${MEETING_TITLE}`, "The meeting is by invitation only", "What we keep and who sees it");
    await look(page, "register");
    // A free-mail address first: refused next to the field, announced, the rest kept.
    await page.getByLabel("Your email address at your team").fill("nina.newcomer@gmail.com");
    await page.getByLabel("Your name").fill(NEWCOMER.name);
    await page.getByLabel("Your role or title in the team").fill(NEWCOMER.role);
    await page.getByRole("button", { name: "Register" }).click();
    await page.getByRole("alert").waitFor();
    await sees(page, "Please correct this:", "gmail.com is a free-mail service. Register with your address at your team's own domain.");
    const email = page.getByLabel("Your email address at your team");
    assert.equal(await email.getAttribute("aria-invalid"), "true");
    assert.match(await page.locator(`#${await email.getAttribute("aria-describedby")}`).innerText(), /free-mail service/);
    assert.equal(await page.getByLabel("Your role or title in the team").inputValue(), NEWCOMER.role);
    await look(page, "register-free-mail");
    await email.fill(NEWCOMER.email);
    await page.getByRole("button", { name: "Register" }).click();
    await sees(page, "Check your email", NEWCOMER.email);
    await look(page, "register-sent");

    const mail = await waitForMessage(server.mailDir, NEWCOMER.email);
    assert.ok(!mail.text.includes(NEWCOMER.name), "the email does not repeat what whoever registered typed");
    const link = linkIn(mail, `${server.url}/verify/`);
    // Opening the link (as a mail scanner would) changes nothing; the button does.
    await page.goto(link);
    await sees(page, "Confirm your address", "Choose the password of your account");
    await look(page, "verify");
    // The password is chosen here, by whoever holds the emailed link, never at /register.
    await page.getByLabel("Choose your password").fill("seven copper kites at dawn");
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await page.waitForURL("**/login?done=address-confirmed");
    await sees(page, "Your address is confirmed and your password is set.");
    await look(page, "verify-done");

    const admin = people.organizer;
    await admin.goto(`${server.url}/admin/meetings/${SLUG}/registrations`);
    await admin.getByLabel("Status").selectOption("pending");
    await admin.getByRole("button", { name: "Filter" }).click();
    await admin.waitForURL(/status=pending/);
    const row = admin.getByRole("row").filter({ hasText: NEWCOMER.email });
    const text = await row.innerText();
    assert.match(text, new RegExp(NEWCOMER.team.replace(".", "\\.")), "the team follows from the address");
    assert.match(text, /pending review/);
    assert.ok(!(await admin.locator("main").innerText()).includes(INVITEES[0].email), "the filter shows pending ones only");
    await look(admin, "registrations-pending");
  });

  step("with scripts off, the attendee signs in, saves calendar choices and uses the agenda", async () => {
    const context = await personContext(browser, { javaScriptEnabled: false, timezoneId: VIENNA });
    const page = await context.newPage();
    people["no-script"] = page;
    const anna = INVITEES[0];
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email address").fill(anna.email);
    await page.getByLabel("Password").fill(anna.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/me");
    await sees(page, anna.name, "Status: approved");
    await look(page, "noscript-me", { axe: false });

    await page.getByRole("link", { name: "Add the agenda to your calendar" }).click();
    await sees(page, "You have a feed address, made on");
    // Replacing the address asks first, without scripts; going back keeps the old one.
    await page.getByRole("button", { name: "Make a new address (the old one stops working)" }).click();
    await sees(page, "Make a new feed address?", "The old address stops working at once.");
    await look(page, "noscript-confirm-new-feed", { axe: false });
    await page.getByRole("link", { name: "Go back" }).click();
    await sees(page, "You have a feed address, made on");
    await page.getByLabel("only the sessions in my agenda").check();
    await page.getByRole("button", { name: "Save my choices" }).click();
    await sees(page, "Your calendar choices are saved.");
    assert.ok(await page.getByLabel("only the sessions in my agenda").isChecked());
    await look(page, "noscript-calendar-saved", { axe: false });
    // The same feed address now holds the meeting, the conference and the two picks only.
    const feed = readCalendar(await (await fetch(anna.feed)).text());
    assert.deepEqual(
      feed.events.filter((e) => !e.allDay).map((e) => e.summary).sort(),
      ["Cross-border incident coordination", "Welcome and introductions"],
    );

    await page.goto(`${server.url}/me`);
    await page.getByRole("link", { name: "Open the agenda" }).click();
    assert.ok(await page.locator(".agenda-grid").isVisible(), "the grid shows without scripts");
    await sees(page, "Coffee break");
    // A break is everyone's: there is nothing to add.
    assert.equal(await page.getByRole("button", { name: "Add Coffee break to my agenda" }).count(), 0, "no button adds a break");
    // The second day's workshop, added and taken off again.
    const workshop = session("National CSIRT maturity");
    const days = page.getByRole("navigation", { name: "Days" }).getByRole("link");
    await days.nth(1).click();
    await page.getByRole("button", { name: `Add ${workshop.title} to my agenda` }).click();
    await page.getByRole("button", { name: `Remove ${workshop.title} from my agenda` }).waitFor();
    await page.getByRole("navigation", { name: "Sessions shown" }).getByRole("link", { name: "My agenda" }).click();
    await sees(page, workshop.title);
    await look(page, "noscript-agenda-mine", { axe: false });
    await page.getByRole("button", { name: `Remove ${workshop.title} from my agenda` }).click();
    await page.getByText("You have not picked a session on this day.").first().waitFor();
    assert.ok(!(await page.locator("main").innerText()).includes(workshop.title), "removed from My agenda");
    await days.first().click();
    await page.locator(".agenda-grid").getByRole("link", { name: "Welcome and introductions" }).waitFor();
    await sees(page, "Cross-border incident coordination");
    assert.ok(!(await page.locator("main").innerText()).includes("Coffee break"), "My agenda holds the picks only");
    // Without the script the times stay in the meeting's zone, said once at the top.
    await sees(page, `Times are in the meeting's time zone, ${ZONE}.`);
    await page.getByRole("link", { name: "Cross-border incident coordination" }).click();
    await sees(page, "11:00 – 12:00 MST", "This session is in your agenda.");
    assert.equal(await page.locator(".your-time").count(), 0, "scripts are off: no local time added");
    await look(page, "noscript-session", { axe: false });
  });

  step("after signing out, Back does not bring a TLP:RED session back", async () => {
    // A browser with its back/forward cache on, as people have it (playwright turns it off).
    backBrowser = await launch({ backForwardCache: true });
    const page = await (await personContext(backBrowser, { timezoneId: VIENNA })).newPage();
    people["back-after-sign-out"] = page;
    const anna = INVITEES[0];
    const red = SESSIONS.find((s) => s.tlp === "TLP:RED");
    await signIn(page, anna);
    await page.goto(`${server.url}/meetings/${SLUG}/agenda?day=${isoDate(addDays(meetingFirst, red.day))}`);
    await page.locator(".agenda-grid").getByRole("link", { name: red.title }).click();
    await page.waitForURL(/\/sessions\/\d+$/);
    await sees(page, red.title, "TLP:RED");
    const redPage = page.url();

    await page.getByRole("button", { name: `Sign out ${anna.name}` }).click();
    await page.waitForURL("**/login?done=signed-out");
    // Back asks the server again (no response means a cached copy was shown), and the
    // server, without a session now, answers with the sign-in page.
    // A page restored from the back/forward cache fires no load: the wait then fails, and
    // what the page shows says why.
    const response = await page.goBack({ waitUntil: "load", timeout: 10_000 }).catch((e) => e);
    const shown = await page.locator("body").innerText();
    assert.ok(!shown.includes(red.title) && !shown.includes("Lanternfish"), `Back shows ${page.url()}:\n${shown}`);
    assert.ok(response && !(response instanceof Error), `the page was fetched again, not taken from a cache: ${response}`);
    assert.equal(new URL(page.url()).pathname, "/login", `Back from ${redPage} ends on the sign-in page`);
    await sees(page, "Sign in", "I forgot my password");
    assert.ok(!(await page.title()).includes("Lanternfish"), `the tab's title: ${await page.title()}`);
  });

  step("the printed agenda repeats its highest label on every page, labels each day, and leaves the site header out", async () => {
    const page = await open("printer", { timezoneId: VIENNA });
    await signIn(page, INVITEES[0]);
    await page.goto(`${server.url}/meetings/${SLUG}/agenda`);
    const headings = await page.getByRole("navigation", { name: "Days" }).getByRole("link").allInnerTexts();
    assert.equal(headings.length, 2, `two meeting days: ${headings}`);
    const pdf = path.join(SCREENSHOTS, "agenda-print.pdf");
    await mkdir(SCREENSHOTS, { recursive: true });
    await writeFile(pdf, await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true }));

    const pages = await pdfPages(pdf);
    assert.ok(pages.length >= 2, `one page a day at least: ${pages.length} pages`);
    // The highest label of the whole printout (a TLP:RED session on the second day), in
    // the top margin of every page, the first day's pages too.
    const highest = "TLP:RED";
    for (const [i, p] of pages.entries()) {
      const top = p.top.replace(/\s+/g, " ").trim();
      assert.ok(top.includes("Highest label in this printout") && top.includes(highest), `page ${i + 1}'s header: "${top}"`);
    }
    // Each day's heading carries that day's highest label.
    const text = pages.map((p) => p.text).join("\n").replace(/[ \t]+/g, " ");
    const dayLabel = (day) =>
      SESSIONS.filter((s) => s.day === day).map((s) => s.tlp).sort((a, b) => TLP_ORDER.indexOf(b) - TLP_ORDER.indexOf(a))[0];
    for (const [day, heading] of headings.entries()) {
      assert.ok(text.includes(`${heading.trim()} ${dayLabel(day)}`), `"${heading} ${dayLabel(day)}" in:\n${text}`);
    }
    assert.equal(dayLabel(0), "TLP:AMBER", "the first day holds no TLP:RED session");
    // The site header (its navigation) and footer stay off paper.
    for (const gone of ["Sign out", "My registration", "Skip to content", "hosted by CERT/CC"]) {
      assert.ok(!text.includes(gone), `"${gone}" is not printed:\n${text}`);
    }
    await sees(page, "Welcome and introductions");
  });

  test("no page breaks a script, and axe finds no serious or critical violation", () => {
    console.log(`pages checked with axe at both widths: ${[...inspector.pages].sort().join(", ")}`);
    assert.deepEqual(inspector.pageErrors, [], "uncaught script errors");
    assert.equal(inspector.violations.length, 0, `axe-core findings:\n${inspector.report()}`);
  });

  test("on every page Tab reaches every link, button and field, and the focus shows", () => {
    assert.equal(inspector.keyboard.length, 0, `keyboard findings:\n${inspector.keyboardReport()}`);
  });
});
