// The product in a real browser: an organizer's first run, a meeting next to a FIRST
// conference, the registry, invitations by email, vetting at a team's cap, and the agenda
// editor. Every step asserts what the person sees, runs axe-core, and saves screenshots
// at 1280×800 and 390×844 (screenshots/, git-ignored).
//
// Run through `bash .ci/browser` (it builds the debug binary first), or by hand:
//   CARGO_TARGET_DIR=… npm test            (in tests/browser, after `npm ci`)
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import path from "node:path";

import { launch, personContext, Inspector, SCREENSHOTS } from "./lib/browser.mjs";
import { REPO, startServer } from "./lib/server.mjs";
import { linkIn, waitForMessage } from "./lib/mail.mjs";
import { totp } from "./lib/totp.mjs";
import { addDays, isoDate } from "./lib/dates.mjs";

const FIXTURE = path.join(REPO, "tests/fixtures/national_csirts.csv");
const ORGANIZER = { name: "Olga Organizer", email: "olga@cert.org", password: "granite lantern over Denver 7" };
const TEAM = { short: "CERT.at", option: "CERT.at / GovCERT Austria (AT)" };
const INVITEES = [
  { name: "Anna Approved", email: "anna@cert.at", role: "Incident handler" },
  { name: "Wim Waitlisted", email: "wim@cert.at", role: "Analyst" },
  { name: "Rita Rejected", email: "rita@cert.at", role: "Intern" },
];
const REJECT_REASON = "Each team sends its incident handlers this year";

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

async function open(who) {
  const context = await personContext(browser);
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
 * Moves the focus with Tab (as a keyboard user does, at most 40 presses) until `target`
 * has it, and checks that the focus is visible (an outline of at least 2px).
 */
async function tabTo(page, target) {
  const handle = await target.elementHandle();
  for (let i = 0; i < 40; i++) {
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

async function look(page, name) {
  const found = await inspector.look(page, name);
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
    await fill("time_zone", "America/Denver");
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
    await page.getByLabel("Cap (optional)").fill("1");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL("**/admin/teams?done=team-saved");
    await sees(page, "The team's changes are saved.");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: TEAM.short, exact: true }) });
    assert.equal((await row.getByRole("cell").last().innerText()).trim(), "1", "the team's cap is 1");
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
      const page = await open(person.email);
      await page.goto(person.link);
      await sees(page, "You are invited to", MEETING_TITLE, "Denver", person.email);
      if (i === 0) await look(page, "invitation");
      await page.getByLabel("Your name").fill(person.name);
      await page.getByLabel("Password", { exact: true }).fill(`quiet harbour lamp ${i + 4821}`);
      await page.getByLabel("Your role or title in the team").fill(person.role);
      if (i === 0) await page.getByLabel(/List my name and team/).check();
      await page.getByRole("button", { name: "Create account and register" }).click();
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

    await row(INVITEES[0]).getByRole("button", { name: "Approve" }).click();
    await sees(page, "The decision is saved and the person receives an email.");
    await sees(page, /approved/);

    await row(INVITEES[1]).getByRole("button", { name: "Approve" }).click();
    await sees(page, "This team already has 1 approved attendee, its cap for this meeting");
    await look(page, "registrations-cap-reached");
    // The offer goes through the bulk form, whose flash speaks of decisions.
    await page.getByRole("button", { name: "Waitlist this registration instead" }).click();
    await sees(page, "The decisions are saved and each person receives an email.");
    assert.match(await row(INVITEES[1]).innerText(), /waitlisted/);

    await row(INVITEES[2]).getByLabel(/Reason/).fill(REJECT_REASON);
    await row(INVITEES[2]).getByRole("button", { name: "Reject" }).click();
    await sees(page, "The decision is saved and the person receives an email.");
    assert.match(await row(INVITEES[2]).innerText(), new RegExp(`rejected \\(${REJECT_REASON}\\)`));
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

    const sessions = [
      { title: "Welcome and introductions", kind: "Talk", room: "Main hall (120 seats)", day: 0, starts: "09:00", ends: "09:30", tlp: "TLP:CLEAR" },
      { title: "Cross-border incident coordination", kind: "Panel", room: "Main hall (120 seats)", day: 0, starts: "09:30", ends: "10:30", tlp: "TLP:AMBER", track: "Incident response", speakers: "Anna Approved (CERT.at)" },
      { title: "Coffee break", kind: "Break", room: "", day: 0, starts: "10:30", ends: "11:00", tlp: "TLP:CLEAR" },
      { title: "National CSIRT maturity workshop", kind: "Breakout", room: "Breakout room (30 seats)", day: 1, starts: "09:00", ends: "10:30", tlp: "TLP:GREEN" },
    ];
    for (const [i, s] of sessions.entries()) {
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
      if (s.speakers) await page.getByLabel("Speakers").fill(s.speakers);
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

  test("no page breaks a script, and axe finds no serious or critical violation", () => {
    console.log(`pages checked with axe at both widths: ${[...inspector.pages].sort().join(", ")}`);
    assert.deepEqual(inspector.pageErrors, [], "uncaught script errors");
    assert.equal(inspector.violations.length, 0, `axe-core findings:\n${inspector.report()}`);
  });
});
