// The organizer's year (issue 15, Acceptance): on a fresh install an organizer reaches
// every step by links only, from /admin on — adds FIRST 2027, creates the meeting from its
// proposal, writes practical information, adds two questions, imports teams, invites,
// reviews with the evidence visible, takes a withdrawal that becomes an offer the next
// person accepts, moves the meeting to today, builds and publishes the agenda, exports it
// and checks two people in. The only addresses typed are the setup link, /admin and the
// links read from the mail sink. Each new page gets axe-core and screenshots at both widths.
//
// The browser suite has no test clock (the server runs on the real one): check-in marks
// only on a meeting day, so the journey moves the meeting's days to today on the hub's form
// after the registrations are settled (see the step "the meeting moves to today").
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";

import { launch, personContext, Inspector } from "./lib/browser.mjs";
import { REPO, startServer } from "./lib/server.mjs";
import { linkIn, waitForMessage } from "./lib/mail.mjs";
import { addDays, isoDate } from "./lib/dates.mjs";
import { turnOnSecondFactor } from "./lib/journey.mjs";

const FIXTURE = path.join(REPO, "tests/fixtures/national_csirts.csv");
const ORGANIZER = { name: "Oscar Organizer", email: "oscar@cert.org", password: "amber kettle under Paris 9" };
const EDITION = { name: "FIRST Conference 2027", city: "Paris", zone: "Europe/Paris", first: "2027-06-13", last: "2027-06-18" };
const TEAMS = {
  at: { short: "CERT.at", option: "CERT.at / GovCERT Austria (AT)", domain: "cert.at" },
  be: { short: "CERT.be", option: "Centre for Cybersecurity Belgium - CERT.be (BE)", domain: "cert.be" },
};
// Anna and Wim share CERT.at (cap 1: Wim waits); Bruno is CERT.be's one.
const PEOPLE = [
  { key: "anna", name: "Anna Arrival", email: "anna@cert.at", team: "at", diet: "MISP and IntelMQ", day: "Saturday" },
  { key: "bruno", name: "Bruno Belgian", email: "bruno@cert.be", team: "be", diet: "TheHive", day: "Friday" },
  { key: "wim", name: "Wim Waiting", email: "wim@cert.at", team: "at", diet: "RTIR", day: "Saturday" },
];
const QUESTIONS = [
  { prompt: "Which CSIRT tools does your team run?", kind: "Short text" },
  { prompt: "Which day do you arrive?", kind: "One of a list", choices: "Friday\nSaturday" },
];
const PRACTICAL = "## Venue\n\nThe meeting is at the Palais des Congrès, level 2.\n\n## Wi-Fi\n\nAsk at the desk.";
const SESSION_TITLE = "Welcome and year in review";

// Today on the meeting's clocks (Europe/Paris), as YYYY-MM-DD.
const parisToday = () => new Date().toLocaleDateString("en-CA", { timeZone: EDITION.zone });

const server = {};
const inspector = new Inspector();
let browser;
const people = {};
let slug;

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
      for (const [who, page] of Object.entries(people)) {
        const text = await page.locator("body").innerText().catch(() => "(no page)");
        console.log(`--- ${who} at ${page.url()}:\n${text.slice(0, 3000)}`);
      }
      console.log(`--- server output (last lines):\n${server.output?.().split("\n").slice(-30).join("\n")}`);
      throw e;
    }
  });
}

async function open(who) {
  const context = await personContext(browser);
  const page = await context.newPage();
  inspector.watch(page);
  people[who] = page;
  return page;
}

async function sees(page, ...texts) {
  const body = await page.locator("body").innerText();
  for (const text of texts) {
    if (text instanceof RegExp) assert.match(body, text, `${page.url()} should show ${text}`);
    else assert.ok(body.includes(text), `${page.url()} should show "${text}"; it shows:\n${body}`);
  }
}

async function look(page, name) {
  const found = await inspector.look(page, `year-${name}`);
  for (const v of found) console.log(`axe [${v.impact}] ${v.id} on ${name} (${v.width}): ${v.help}`);
}

/** Clicks the link named `name` in the page's main content (the caller waits for the page). */
async function follow(page, name) {
  await page.locator("main").getByRole("link", { name, exact: typeof name === "string" }).first().click();
}

/** From anywhere: the console, Meetings, the meeting's hub. */
async function toHub(page) {
  await page.getByRole("link", { name: "Organizer console" }).click();
  await page.waitForURL("**/admin");
  await follow(page, "Meetings");
  await page.waitForURL("**/admin/meetings");
  await page.locator("main").getByRole("link", { name: /NatCSIRT 2027/ }).first().click();
  await page.waitForURL(`**/admin/meetings/${slug}`);
}

describe("the organizer's year", () => {
  before(async () => {
    Object.assign(server, await startServer());
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server.stop?.();
  });

  step("a fresh install: the organizer sets up the account and reaches /admin", async () => {
    const page = await open("organizer");
    await page.goto(server.setupLink);
    await page.getByLabel("Your name").fill(ORGANIZER.name);
    await page.getByLabel("Email address").fill(ORGANIZER.email);
    await page.getByLabel("Password", { exact: true }).fill(ORGANIZER.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await turnOnSecondFactor(page, ORGANIZER.password);
    await sees(page, "Organizer console");
  });

  step("the organizer adds FIRST 2027 and creates the meeting from its proposal", async () => {
    const page = people.organizer;
    await follow(page, "FIRST conference editions");
    await page.waitForURL("**/admin/editions");
    await sees(page, "No edition lies ahead.");
    await look(page, "editions-empty");
    await follow(page, "Add an edition");
    await page.waitForURL("**/admin/editions/new");
    await look(page, "edition-new");
    await page.getByLabel("Name").fill(EDITION.name);
    await page.getByLabel("City").fill(EDITION.city);
    await page.getByLabel("Country (optional)").fill("France");
    await page.getByLabel("Time zone").selectOption(EDITION.zone);
    await page.getByLabel("First day").fill(EDITION.first);
    await page.getByLabel("Last day").fill(EDITION.last);
    await page.getByRole("button", { name: "Add the edition" }).click();
    await page.waitForURL(/\/admin\/editions(\?|$)/);
    await sees(page, EDITION.name, EDITION.city);
    await look(page, "editions");

    await page.getByRole("row").filter({ hasText: EDITION.name }).getByRole("link", { name: "propose a meeting after it" }).click();
    await page.waitForURL(/\/admin\/meetings\/new\?edition=\d+$/);
    const title = await page.locator("#title").inputValue();
    assert.match(title, /^NatCSIRT 2027/, "the proposal names the year");
    assert.equal(await page.locator("#city").inputValue(), EDITION.city);
    slug = await page.locator("#slug").inputValue();
    assert.match(slug, /^natcsirt-2027/);
    await look(page, "meeting-proposal");
    // The venue is the organizer's; one place per team so that the second one waits.
    await page.locator("#venue").fill("Palais des Congrès");
    await page.locator("#default_cap").fill("1");
    await page.getByRole("button", { name: "Create meeting" }).click();
    await page.waitForURL(`**/admin/meetings/${slug}?done=meeting-saved`);
    await sees(page, "The meeting is saved.", EDITION.name);
  });

  step("the organizer writes the practical information and adds two questions from the hub", async () => {
    const page = people.organizer;
    await follow(page, "Edit the practical information");
    await page.waitForURL(`**/admin/meetings/${slug}/practical`);
    await look(page, "practical");
    await page.getByLabel("Text in Markdown").fill(PRACTICAL);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL("**/practical?done=practical-saved");
    await sees(page, /saved/i);

    await toHub(page);
    await follow(page, "Edit the questions");
    await page.waitForURL(`**/admin/meetings/${slug}/questions`);
    await sees(page, "The form asks no questions of its own yet.");
    await look(page, "questions-empty");
    for (const [i, q] of QUESTIONS.entries()) {
      await page.getByLabel("Question", { exact: true }).fill(q.prompt);
      await page.getByLabel("Kind of answer").selectOption({ label: q.kind });
      if (q.choices) await page.getByLabel(/^Choices/).fill(q.choices);
      await page.getByLabel("An answer is required").check();
      await page.getByLabel("Order").fill(String(i + 1));
      await page.getByRole("button", { name: "Add the question" }).click();
      await page.getByRole("row").filter({ hasText: q.prompt }).waitFor();
    }
    await look(page, "questions");
  });

  step("the organizer imports the teams from the console and confirms their domains", async () => {
    const page = people.organizer;
    await page.getByRole("link", { name: "Organizer console" }).click();
    await page.waitForURL("**/admin");
    await follow(page, "Import teams");
    await page.waitForURL("**/admin/teams/import");
    await page.getByLabel("Choose the CSV file").setInputFiles(FIXTURE);
    await page.waitForFunction(() => document.querySelector("#csv").value.includes("CERT.at"));
    await page.getByRole("button", { name: "Import the teams" }).click();
    await sees(page, "The file is imported.");
    await follow(page, "See the teams");
    await page.waitForURL("**/admin/teams");
    for (const t of Object.values(TEAMS)) {
      await follow(page, t.short);
      await page.getByRole("button", { name: `Confirm ${t.domain}` }).click();
      await sees(page, "The domain is confirmed.");
      await page.getByRole("link", { name: "Organizer console" }).click();
      await follow(page, "Teams");
      await page.waitForURL("**/admin/teams");
    }
  });

  step("the organizer invites three people from the hub; each registers answering the questions", async () => {
    const page = people.organizer;
    await toHub(page);
    await follow(page, "Invitations");
    await page.waitForURL(`**/admin/meetings/${slug}/invitations`);
    for (const t of ["at", "be"]) {
      await page.getByLabel("Team").selectOption({ label: TEAMS[t].option });
      await page.getByLabel("Email addresses").fill(PEOPLE.filter((p) => p.team === t).map((p) => p.email).join("\n"));
      await page.getByRole("button", { name: "Send invitations" }).click();
      await page.waitForURL("**?done=invitations-sent");
    }
    await sees(page, ...PEOPLE.map((p) => p.email));

    for (const [i, p] of PEOPLE.entries()) {
      const mail = await waitForMessage(server.mailDir, p.email);
      const who = await open(p.key);
      await who.goto(linkIn(mail, `${server.url}/invitations/`));
      await sees(who, "You are invited to", ...QUESTIONS.map((q) => q.prompt));
      if (i === 0) await look(who, "invitation-with-questions");
      p.password = `pale window ribbon ${i + 3170}`;
      await who.getByLabel("Your name").fill(p.name);
      await who.getByLabel("Password", { exact: true }).fill(p.password);
      await who.getByLabel("Your role or title in the team").fill("Incident handler");
      await who.getByLabel(QUESTIONS[0].prompt, { exact: true }).fill(p.diet);
      await who.getByRole("group", { name: QUESTIONS[1].prompt }).getByLabel(p.day).check();
      await who.getByRole("button", { name: "Create account and register" }).click();
      await who.waitForURL("**/me?done=registered");
      await sees(who, "pending review");
    }
  });

  step("the organizer reviews with the evidence visible: two approved, the third waitlisted at the cap", async () => {
    const page = people.organizer;
    const decide = async (p, first) => {
      await toHub(page);
      await follow(page, "Review registrations");
      await page.waitForURL(`**/admin/meetings/${slug}/registrations`);
      await page.getByRole("row").filter({ hasText: p.email }).getByRole("link", { name: p.name }).click();
      await page.waitForURL(/\/registrations\/\d+$/);
      await sees(page, "How they came", "Invited by", p.diet, p.day);
      if (first) await look(page, "registration-evidence");
      await page.getByRole("button", { name: "Approve" }).click();
    };
    const decided = async () => {
      await page.waitForURL("**/registrations?done=registration-decided");
      await sees(page, "The decision is saved and the person receives an email.");
    };
    await decide(PEOPLE[0], true);
    await decided();
    await decide(PEOPLE[1], false);
    await decided();
    await decide(PEOPLE[2], false);
    await page.getByText("its cap for this meeting").first().waitFor();
    await page.getByRole("button", { name: "Waitlist this registration instead" }).click();
    await decided();
    await sees(page, "The decision is saved and the person receives an email.");
    assert.match(await page.getByRole("row").filter({ hasText: PEOPLE[2].email }).innerText(), /waitlisted/);
  });

  step("Anna withdraws after the confirmation page; Wim sees the offer on his registration and accepts", async () => {
    const anna = people.anna;
    await anna.reload();
    await follow(anna, "Your details, changes and withdrawal");
    await anna.waitForURL(/\/me\/registrations\/\d+$/);
    await anna.getByRole("button", { name: "Withdraw my registration" }).click();
    await anna.waitForURL(/\/withdraw$/);
    await sees(anna, /Withdraw from NatCSIRT 2027/, "This cannot be undone");
    await look(anna, "withdraw-confirm");
    await anna.getByRole("button", { name: "Withdraw my registration" }).click();
    await anna.waitForURL("**/me?done=withdrawn");
    await sees(anna, /withdrawn/i);

    const wim = people.wim;
    await wim.reload();
    await follow(wim, "Your details, changes and withdrawal");
    await wim.waitForURL(/\/me\/registrations\/\d+$/);
    await sees(wim, "A place is offered to you", "The place is held for you until");
    await look(wim, "offer");
    await wim.getByRole("button", { name: "Accept the place" }).click();
    await wim.waitForURL("**/me?done=offer-accepted");
    await sees(wim, /approved/i);
    assert.ok(!(await wim.locator("main").innerText()).includes("A place is offered to you"), "the offer is answered");
  });

  step("the meeting moves to today on the hub's form (the browser suite has no test clock)", async () => {
    const page = people.organizer;
    await toHub(page);
    const today = parisToday();
    const day = (n) => isoDate(addDays(new Date(`${today}T12:00:00Z`), n));
    await page.locator("#conference_first_day").fill(day(-5));
    await page.locator("#conference_last_day").fill(day(-1));
    await page.locator("#first_day").fill(today);
    await page.locator("#last_day").fill(day(1));
    await page.locator("#registration_opens").fill(day(-30));
    await page.locator("#registration_closes").fill(day(-1));
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`**/admin/meetings/${slug}?done=meeting-saved`);
    await sees(page, "The meeting is saved.");
  });

  step("the organizer builds and publishes the agenda, and the agenda CSV answers 200", async () => {
    const page = people.organizer;
    await follow(page, "Edit the agenda");
    await page.waitForURL(`**/admin/meetings/${slug}/agenda`);
    await follow(page, "Add a session");
    await page.waitForURL("**/agenda/sessions/new");
    await page.getByLabel("Title").fill(SESSION_TITLE);
    await page.getByLabel("Abstract").fill("What the national teams saw this year.");
    await page.getByLabel("TLP label").selectOption("TLP:CLEAR");
    await page.getByLabel("Kind").selectOption({ label: "Talk" });
    await page.getByLabel("Day").selectOption({ index: 0 });
    await page.getByLabel("Starts at").fill("09:00");
    await page.getByLabel("Ends at").fill("09:45");
    await page.getByRole("button", { name: "Save in the draft" }).click();
    await page.waitForURL("**?done=session-saved");
    await page.getByRole("button", { name: "Publish release 1" }).click();
    await page.waitForURL("**?done=agenda-published");
    await sees(page, "The release is published. Attendees now see this agenda.");

    await toHub(page);
    const csv = page.locator("main").getByRole("link", { name: "as CSV", exact: true });
    const href = await csv.getAttribute("href");
    const res = await page.request.get(new URL(href, page.url()).toString());
    assert.equal(res.status(), 200, `the agenda CSV link answers: ${res.status()}`);
    assert.ok((await res.text()).includes(SESSION_TITLE), "the CSV holds the published session");
  });

  step("the organizer checks two people in at the door", async () => {
    const page = people.organizer;
    await follow(page, "Check-in");
    await page.waitForURL(`**/admin/meetings/${slug}/checkin`);
    await sees(page, /Today, /, "0 of 2");
    await look(page, "checkin");
    for (const p of [PEOPLE[1], PEOPLE[2]]) {
      await page.getByLabel("Name (account or badge)").fill(p.name.split(" ")[0]);
      await page.getByRole("button", { name: "Search" }).click();
      const found = page.getByRole("list", { name: "People found" }).getByRole("listitem").filter({ hasText: p.name });
      await found.getByRole("button", { name: /^Mark arrived/ }).click();
      await found.getByText("Arrived today at").waitFor();
    }
    await sees(page, "2 of 2");
    await look(page, "checkin-two-arrived");
  });

  test("no page of the year breaks a script, and axe finds no serious or critical violation", () => {
    console.log(`pages checked with axe at both widths: ${[...inspector.pages].sort().join(", ")}`);
    assert.deepEqual(inspector.pageErrors, [], "uncaught script errors");
    assert.equal(inspector.violations.length, 0, `axe-core findings:\n${inspector.report()}`);
  });

  test("on every page of the year Tab reaches every link, button and field, and the focus shows", () => {
    assert.equal(inspector.keyboard.length, 0, `keyboard findings:\n${inspector.keyboardReport()}`);
  });
});
