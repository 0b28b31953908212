// A participant-driven program (issue 17, Acceptance), on the demo meeting: an attendee
// proposes a team update with a co-speaker, the co-speaker confirms from the emailed link,
// an organizer asks for changes, accepts, schedules and publishes; both speakers get the
// session's invite; a speaker shares TLP:RED slides; an approved attendee downloads them
// (the audit log names who), a waitlisted one cannot; after the session (the server's wall
// clock moved past it with libfaketime) the attendee rates it and the speaker reads the
// aggregate without names.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

import { launch, Inspector } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";
import { DEMO, loadDemo } from "./lib/demo.mjs";
import { Journey, choose, doesNotSee, sees, turnOnSecondFactor } from "./lib/journey.mjs";
import { calendarPartOf, linkIn, readMessages, waitForMessage } from "./lib/mail.mjs";
import { readCalendar } from "./lib/ical.mjs";
import { zonedInstant } from "./lib/dates.mjs";

const SLUG = DEMO.slug;
const TEAM = "Centre for Cybersecurity Belgium - CERT.be"; // as the demo's registry names it
const COSPEAKER = { key: "cora", name: "Cora Cospeaker", email: "cora@cert.be", role: "Incident coordinator" };
const READER = { key: "dora", name: "Dora Downloader", email: "dora@cert.be", role: "Analyst" };
const WAITING = { key: "walt", name: "Walt Waitlisted", email: "walt@cert.be", role: "Intern" };
const INVITEES = [COSPEAKER, READER, WAITING];
const PROPOSER = { key: "proposer", name: "Demo Attendee", email: DEMO.attendee, team: "CERT.at / GovCERT Austria" };
const TITLE = "Team update: CERT.be and CERT.at on the ferry ransomware wave";
const ABSTRACT = "How two national teams shared indicators during one week of ransomware.";
const CHANGES = "Please add what the ministries asked you for afterwards.";
// The second demo day, Room Aspen, which is free in the afternoon (src/cli/demo_agenda.rs).
const SLOT = { day: 1, starts: "14:00", ends: "14:30" };
const SLIDES = {
  name: "ferry-wave-slides.pdf",
  mimeType: "application/pdf",
  buffer: Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
};
const COMMENT = "The indicator timeline was the most useful part of the day.";

const server = {};
const inspector = new Inspector();
// The browser is launched in `before`; the steps are registered now.
const journey = new Journey({ inspector, server, prefix: "program" });
let passwords;
let sessionUrl;
let slotEnd;

describe("a participant-driven program", () => {
  before(async () => {
    Object.assign(server, await startServer({ movableClock: true }));
    passwords = await loadDemo(server);
    PROPOSER.password = passwords.attendee;
    journey.browser = await launch();
  });

  after(async () => {
    await journey?.browser.close();
    await server.stop?.();
  });

  const step = (name, fn) => journey.step(name, fn);

  const signIn = (page, person) => journey.signIn(page, person);

  step("the organizer signs in, sets up two-step sign-in and opens the call for contributions", async () => {
    const page = await journey.open("organizer");
    await signIn(page, { email: DEMO.organizer, password: passwords.organizer });
    await turnOnSecondFactor(page, passwords.organizer);

    await page.goto(`${server.url}/admin/meetings/${SLUG}`);
    await page.locator("main").getByRole("link", { name: "Set up the call" }).click();
    await page.waitForURL(`**/admin/meetings/${SLUG}/call`);
    await sees(page, "There is no call yet");
    const today = new Date().toLocaleDateString("en-CA", { timeZone: DEMO.zone });
    const later = new Date(Date.now() + 14 * 86_400_000).toLocaleDateString("en-CA", { timeZone: DEMO.zone });
    await page.getByLabel("Opens on").fill(today);
    await page.getByLabel("Opens at").fill("00:00");
    await page.getByLabel("Closes on").fill(later);
    await page.getByLabel("Closes at").fill("23:59");
    assert.match(await page.getByLabel("Kinds of contribution").inputValue(), /Team update/);
    await page.getByRole("button", { name: "Save the call" }).click();
    await page.waitForURL("**/proposals?done=call-saved");
    await sees(page, "The call for contributions is saved.");
    await journey.look(page, "call");
  });

  step("three people of CERT.be are invited and register; two are approved, one waitlisted", async () => {
    const organizer = journey.people.organizer;
    await organizer.goto(`${server.url}/admin/meetings/${SLUG}/invitations`);
    await choose(organizer.getByLabel("Team"), TEAM);
    await organizer.getByLabel("Email addresses").fill(INVITEES.map((p) => p.email).join("\n"));
    await organizer.getByRole("button", { name: "Send invitations" }).click();
    // The demo's CERT.be has no confirmed domain: the organizer vouches for the addresses.
    await sees(organizer, "outside the team's domains");
    await organizer.getByLabel(/I checked these addresses/).check();
    await organizer.getByRole("button", { name: "Send invitations" }).click();
    await sees(organizer, "The invitations are on their way.");

    for (const [i, person] of INVITEES.entries()) {
      const mail = await waitForMessage(server.mailDir, person.email);
      const page = await journey.open(person.key);
      await page.goto(linkIn(mail, `${server.url}/invitations/`));
      person.password = `ferry lantern ${i + 7310} harbour`;
      await page.getByLabel("Your name").fill(person.name);
      await page.getByLabel("Password", { exact: true }).fill(person.password);
      await page.getByLabel("Your role or title in the team").fill(person.role);
      // The co-speaker agrees to be listed, so a proposer can choose her by name and team.
      if (person === COSPEAKER) await page.getByLabel(/List my name and team/).check();
      await page.getByRole("button", { name: "Create account and register" }).click();
      await page.waitForURL("**/me?done=registered");
    }

    for (const [person, button] of [[COSPEAKER, "Approve"], [READER, "Approve"], [WAITING, "Waitlist"]]) {
      await organizer.goto(`${server.url}/admin/meetings/${SLUG}/registrations`);
      await organizer.getByRole("row").filter({ hasText: person.email }).getByRole("link", { name: person.name }).click();
      await organizer.waitForURL(/\/registrations\/\d+$/);
      await organizer.getByRole("button", { name: button, exact: true }).click();
      await sees(organizer, "The decision is saved and the person receives an email.");
    }
  });

  step("the demo attendee proposes a team update with Cora as co-speaker", async () => {
    const page = await journey.open(PROPOSER.key);
    await signIn(page, PROPOSER);
    await page.waitForURL("**/me");
    await page.getByRole("link", { name: "Propose a contribution" }).click();
    await page.waitForURL(`**/meetings/${SLUG}/proposals`);
    await sees(page, "The call is open.", "You have not proposed anything yet.");
    // Only people who agreed to be listed are offered; Dora did not.
    const offered = await page.getByRole("group", { name: "Co-speakers" }).innerText();
    assert.ok(offered.includes(`${COSPEAKER.name} (${TEAM})`), `Cora is offered:\n${offered}`);
    assert.ok(!offered.includes(READER.name), "Dora, not listed, is not offered");
    await journey.look(page, "propose");

    await page.getByLabel("Title").fill(TITLE);
    await page.getByLabel("Abstract").fill(ABSTRACT);
    await page.getByLabel("Kind").selectOption("Team update");
    await page.getByLabel("Duration").selectOption("30");
    await page.getByLabel("TLP label the content needs").selectOption("TLP:AMBER");
    await page.getByLabel(`${COSPEAKER.name} (${TEAM})`).check();
    await page.getByRole("button", { name: "Submit the proposal" }).click();
    await sees(page, TITLE, `${COSPEAKER.name} (${TEAM}): asked to confirm`);
  });

  step("Cora confirms from the emailed link: opening it changes nothing, the button does", async () => {
    const mail = await waitForMessage(server.mailDir, COSPEAKER.email, { subject: /co-speaker/ });
    const link = linkIn(mail, `${server.url}/speakers/`);
    const page = journey.people.cora;
    await page.goto(link);
    await sees(page, `${PROPOSER.name} proposed`, "named you as a co-speaker");
    await journey.look(page, "co-speaker-confirm");
    // The GET alone did not confirm: the proposer still reads "asked to confirm".
    const proposer = journey.people.proposer;
    await proposer.reload();
    await sees(proposer, `${COSPEAKER.name} (${TEAM}): asked to confirm`);

    await page.getByRole("button", { name: "Confirm that I am a co-speaker" }).click();
    await sees(page, "you are confirmed as a co-speaker");
    await proposer.reload();
    await sees(proposer, `${COSPEAKER.name} (${TEAM}): confirmed`);
  });

  step("the organizer asks for changes, both speakers are told, the proposer edits", async () => {
    const page = journey.people.organizer;
    await page.goto(`${server.url}/admin/meetings/${SLUG}`);
    await page.locator("main").getByRole("link", { name: "Review the proposals" }).click();
    await page.waitForURL(`**/admin/meetings/${SLUG}/proposals`);
    await sees(page, TITLE);
    await journey.look(page, "proposals");
    await page.getByRole("link", { name: TITLE }).click();
    await sees(page, `${PROPOSER.name} (${PROPOSER.team})`, `${COSPEAKER.name} (${TEAM}): confirmed`, ABSTRACT);
    await page.getByLabel("Ask for changes").check();
    await page.getByLabel("Message to the speakers").fill(CHANGES);
    await page.getByRole("button", { name: "Save the decision and email the speakers" }).click();
    await sees(page, "The decision is saved and the speakers receive an email.");
    await journey.look(page, "proposal-changes-asked");

    for (const person of [PROPOSER, COSPEAKER]) {
      const mail = await waitForMessage(server.mailDir, person.email, { subject: /Changes asked/ });
      assert.ok(mail.text.includes(CHANGES), `${person.name} reads the organizer's message`);
      assert.ok(!mail.text.includes(ABSTRACT), "no abstract in mail");
    }
    const proposer = journey.people.proposer;
    await proposer.reload();
    await proposer.getByLabel("Abstract").fill(`${ABSTRACT} What the ministries asked for afterwards.`);
    await proposer.getByRole("button", { name: "Save the proposal" }).click();
    await sees(proposer, TITLE);
  });

  step("the organizer accepts, schedules the draft session and publishes the release", async () => {
    const page = journey.people.organizer;
    await page.reload();
    await page.getByLabel("Accept", { exact: true }).check();
    await page.getByLabel("Message to the speakers").fill("Welcome on the program.");
    await page.getByRole("button", { name: "Save the decision and email the speakers" }).click();
    await page.getByRole("link", { name: "its draft session" }).click();
    await page.waitForURL(/\/agenda\/sessions\/\d+$/);
    assert.equal(await page.getByLabel("Title").inputValue(), TITLE);
    // The speakers came with the proposal, as accounts.
    for (const name of [PROPOSER.name, COSPEAKER.name]) {
      const box = page.locator("#speakers label, fieldset label", { hasText: `${name} (` }).locator("input");
      assert.ok(await box.isChecked(), `${name} is a speaker`);
    }
    await choose(page.getByLabel("Room"), "Room Aspen");
    await page.getByLabel("Day").selectOption({ index: SLOT.day });
    const day = await page.getByLabel("Day").inputValue();
    await page.getByLabel("Starts at").fill(SLOT.starts);
    await page.getByLabel("Ends at").fill(SLOT.ends);
    await page.getByRole("button", { name: "Save in the draft" }).click();
    await page.waitForURL("**?done=session-saved");
    await page.getByRole("button", { name: /^Publish release/ }).click();
    await page.waitForURL("**?done=agenda-published");
    slotEnd = zonedInstant(new Date(`${day}T00:00:00Z`), SLOT.ends, DEMO.zone);
    SLOT.start = zonedInstant(new Date(`${day}T00:00:00Z`), SLOT.starts, DEMO.zone);
  });

  step("both speakers get the session's invite, which a calendar app reads at the right instant", async () => {
    for (const person of [PROPOSER, COSPEAKER]) {
      let invite;
      const deadline = Date.now() + 20_000;
      while (!invite && Date.now() < deadline) {
        invite = (await readMessages(server.mailDir)).find(
          (m) => m.to.includes(person.email) && m.calendar && readCalendar(calendarPartOf(m.raw)).events.some((e) => e.summary === TITLE),
        );
        if (!invite) await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(invite, `${person.name} gets the invite of "${TITLE}"`);
      const calendar = readCalendar(calendarPartOf(invite.raw));
      assert.equal(calendar.method, "REQUEST");
      const event = calendar.events.find((e) => e.summary === TITLE);
      assert.equal(event.start, SLOT.start, "the invite starts at 14:00 in Denver");
      assert.equal(event.end, slotEnd);
      assert.ok(!event.description.includes("ferry"), "a TLP:AMBER session's abstract stays in the app (T1)");
    }
  });

  step("the proposer shares TLP:RED slides on the session page", async () => {
    const page = journey.people.proposer;
    await page.goto(`${server.url}/meetings/${SLUG}/agenda?day=${slotEnd.slice(0, 10)}`);
    await page.getByRole("link", { name: TITLE }).first().click();
    await page.waitForURL(/\/sessions\/\d+$/);
    sessionUrl = page.url();
    await sees(page, TITLE, `${PROPOSER.name} (${PROPOSER.team})`, `${COSPEAKER.name} (${TEAM})`);
    await page.getByRole("link", { name: "Share a file" }).click();
    await page.getByLabel("TLP label of the file").selectOption("TLP:RED");
    await page.getByLabel("File", { exact: true }).setInputFiles(SLIDES);
    await journey.look(page, "share-a-file");
    await page.getByRole("button", { name: "Upload" }).click();
    await page.waitForURL(`${sessionUrl}**`);
    const files = page.locator("ul.materials");
    assert.match(await files.innerText(), new RegExp(`${SLIDES.name}.*TLP:RED.*${PROPOSER.name}`, "s"));
    await journey.look(page, "session-with-slides");
  });

  step("Dora downloads the slides and the audit log names her; Walt, waitlisted, cannot", async () => {
    const dora = journey.people.dora;
    await dora.goto(sessionUrl);
    // Not over yet: nobody can rate it.
    await doesNotSee(dora, "Feedback on this session");
    const [download] = await Promise.all([
      dora.waitForEvent("download"),
      dora.locator("ul.materials").getByRole("link", { name: SLIDES.name }).click(),
    ]);
    assert.equal(download.suggestedFilename(), SLIDES.name);
    assert.deepEqual(await readFile(await download.path()), SLIDES.buffer, "the very bytes shared");
    const href = await dora.locator("ul.materials").getByRole("link", { name: SLIDES.name }).getAttribute("href");

    const organizer = journey.people.organizer;
    await organizer.goto(`${server.url}/admin/audit`);
    const row = organizer.getByRole("row").filter({ hasText: "material.downloaded" }).first();
    assert.match(await row.innerText(), new RegExp(`${READER.name}[\\s\\S]*TLP:RED`), "who downloaded the RED file");
    assert.ok(!(await row.innerText()).includes(SLIDES.name), "the audit row names the file by number only");

    const walt = journey.people.walt;
    const page = await walt.goto(sessionUrl);
    assert.notEqual(page.status(), 200, "the waitlisted person cannot read the session page");
    await doesNotSee(walt, SLIDES.name);
    const file = await walt.request.get(new URL(href, server.url).toString(), { maxRedirects: 0 });
    assert.notEqual(file.status(), 200, "nor download the file");
    assert.ok(!(await file.body()).subarray(0, 5).equals(Buffer.from("%PDF-")), "no PDF bytes reach him");
  });

  step("after the session Dora rates it; the speaker reads the aggregate without her name", async () => {
    // Days pass: the server's wall clock moves to ten minutes after the session's end.
    await server.moveClock((Date.parse(slotEnd) - Date.now()) / 1000 + 600);

    const dora = journey.people.dora;
    await signIn(dora, READER);
    await dora.goto(sessionUrl);
    await dora.getByRole("link", { name: "Feedback on this session" }).click();
    await dora.waitForURL(/\/feedback$/);
    await journey.look(dora, "feedback");
    await dora.getByLabel("4", { exact: true }).check();
    await dora.getByLabel("Comment (optional)").fill(COMMENT);
    await dora.getByRole("button", { name: "Send my rating" }).click();
    await sees(dora, "You rated this session on");

    const speaker = journey.people.proposer;
    await signIn(speaker, PROPOSER);
    await speaker.goto(`${sessionUrl}/feedback`);
    await sees(speaker, "What attendees said about your session", "1 rating, average 4", COMMENT);
    await doesNotSee(speaker, READER.name);
    await journey.look(speaker, "speaker-feedback");
  });

  test("no page of the program breaks a script, and axe finds no serious or critical violation", () => {
    assert.deepEqual(inspector.pageErrors, [], "uncaught script errors");
    assert.equal(inspector.violations.length, 0, `axe-core findings:\n${inspector.report()}`);
  });

  test("on every page of the program Tab reaches every link, button and field, and the focus shows", () => {
    assert.equal(inspector.keyboard.length, 0, `keyboard findings:\n${inspector.keyboardReport()}`);
  });
});
