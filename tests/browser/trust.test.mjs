// The trust network (issue 19, Acceptance), on the demo meeting: the organizer requires
// endorsement and names a point of contact of CERT.be; a CERT.be analyst registers; the
// contact endorses her from the emailed link (opening it changes nothing); the organizer sees
// the endorsement and approves; she adds an OpenPGP key made with Debian's gpg and opts in to
// share it; the demo attendee reads her fingerprint in the directory and downloads the
// keyring, which gpg reads as exactly her key; an announcement encrypted to her is decrypted
// by gpg with her key, and its signature verified against the organizers' key that the
// meeting's page offers.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { launch, Inspector } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";
import { DEMO, loadDemo } from "./lib/demo.mjs";
import { Journey, choose, doesNotSee, sees, turnOnSecondFactor } from "./lib/journey.mjs";
import { linkIn, readMessages, waitForMessage } from "./lib/mail.mjs";
import { fingerprintsIn, keyring } from "./lib/gpg.mjs";

const SLUG = DEMO.slug;
const TEAM = "Centre for Cybersecurity Belgium - CERT.be"; // as the demo's registry names it
const CONTACT = { key: "carl", name: "Carl Contact", email: "carl@cert.be" };
const ANALYST = { key: "ana", name: "Ana Analyst", email: "ana@cert.be", role: "Malware analyst", password: "ferry lantern 4410 harbour" };
const ATTENDEE = { key: "attendee", email: DEMO.attendee };
const NOTE = "Ana leads our malware analysis desk.";
const SUBJECT = "Room change for the TLP:RED breakout";
const BODY = "The closed session on Thursday moves to Room Birch. Bring your badge.";
const ORGANIZER_UID = "NatCSIRT organizers <natcsirt-meeting@cert.example>";

const server = {};
const inspector = new Inspector();
const journey = new Journey({ inspector, server, prefix: "trust" });
let passwords;
let organizerRing;
let analystRing;
let organizerKey;
let analystKey;
let keyDir;

describe("the trust network", () => {
  before(async () => {
    // The organizers' signing key, made as the README says, in a folder only the server reads.
    organizerRing = await keyring();
    organizerKey = await organizerRing.generate(ORGANIZER_UID);
    keyDir = await mkdtemp(path.join(os.tmpdir(), "csirt-meet-organizer-key-"));
    const keyFile = path.join(keyDir, "organizer-key.asc");
    await writeFile(keyFile, await organizerRing.secret(organizerKey.fingerprint), { mode: 0o600 });
    Object.assign(server, await startServer({ env: { CSIRT_MEET__MAIL__OPENPGP_KEY_FILE: keyFile } }));
    passwords = await loadDemo(server);
    ATTENDEE.password = passwords.attendee;
    analystRing = await keyring();
    analystKey = await analystRing.generate(`${ANALYST.name} <${ANALYST.email}>`);
    journey.browser = await launch();
  });

  after(async () => {
    await journey?.browser.close();
    await server.stop?.();
    await organizerRing?.dispose();
    await analystRing?.dispose();
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  });

  const step = (name, fn) => journey.step(name, fn);

  const signIn = (page, person) => journey.signIn(page, person);

  step("the organizer requires endorsement and names CERT.be's point of contact", async () => {
    const page = await journey.open("organizer");
    await signIn(page, { email: DEMO.organizer, password: passwords.organizer });
    await turnOnSecondFactor(page, passwords.organizer);

    await page.goto(`${server.url}/admin/meetings/${SLUG}`);
    await page.getByLabel("Endorsement by the team's contacts").selectOption("required");
    await page.getByRole("button", { name: "Save changes" }).click();
    await sees(page, "The meeting is saved.");

    await page.goto(`${server.url}/admin/teams`);
    await page.getByRole("link", { name: "CERT.be", exact: true }).click();
    await page.getByLabel("Points of contact (optional)").fill(`${CONTACT.name} <${CONTACT.email}>`);
    await page.getByRole("button", { name: "Save changes" }).click();
    await sees(page, "The team's changes are saved.");
    await page.getByRole("link", { name: "CERT.be", exact: true }).click();
    assert.equal(await page.getByLabel("Points of contact (optional)").inputValue(), `${CONTACT.name} <${CONTACT.email}>`);
    await journey.look(page, "team-contacts");
  });

  step("a CERT.be analyst registers from her invitation; the contact is asked, not she", async () => {
    const organizer = journey.people.organizer;
    await organizer.goto(`${server.url}/admin/meetings/${SLUG}/invitations`);
    await choose(organizer.getByLabel("Team"), TEAM);
    await organizer.getByLabel("Email addresses").fill(ANALYST.email);
    await organizer.getByRole("button", { name: "Send invitations" }).click();
    await sees(organizer, "outside the team's domains");
    await organizer.getByLabel(/I checked this address/).check();
    await organizer.getByRole("button", { name: "Send invitations" }).click();
    await sees(organizer, "The invitations are on their way.");

    const invitation = await waitForMessage(server.mailDir, ANALYST.email);
    const page = await journey.open(ANALYST.key);
    await page.goto(linkIn(invitation, `${server.url}/invitations/`));
    await page.getByLabel("Your name").fill(ANALYST.name);
    await page.getByLabel("Password", { exact: true }).fill(ANALYST.password);
    await page.getByLabel("Your role or title in the team").fill(ANALYST.role);
    await page.getByLabel(/List my name and team/).check();
    await page.getByRole("button", { name: "Create account and register" }).click();
    await page.waitForURL("**/me?done=registered");

    const ask = await waitForMessage(server.mailDir, CONTACT.email, { subject: /endorse/i });
    assert.ok(ask.text.includes(ANALYST.name), `the request names her:\n${ask.text}`);
    const toHer = (await readMessages(server.mailDir)).filter((m) => m.to.includes(ANALYST.email) && /endorse/i.test(m.subject));
    assert.equal(toHer.length, 0, "the registrant is never asked to endorse herself");
  });

  step("the contact opens the link (nothing changes), then endorses with a note", async () => {
    const ask = await waitForMessage(server.mailDir, CONTACT.email, { subject: /endorse/i });
    const link = linkIn(ask, `${server.url}/endorsements/`);
    const page = await journey.open(CONTACT.key);
    await page.goto(link);
    await sees(page, `Endorse the registration of ${ANALYST.name}?`, ANALYST.email, ANALYST.role, "What the organizers see");
    await journey.look(page, "endorse");

    const organizer = journey.people.organizer;
    await organizer.goto(`${server.url}/admin/meetings/${SLUG}/registrations`);
    await organizer.getByRole("row").filter({ hasText: ANALYST.email }).getByRole("link", { name: ANALYST.name }).click();
    await organizer.waitForURL(/\/registrations\/\d+$/);
    await sees(organizer, "waiting for the team's contacts");

    await page.getByLabel("Note to the organizers (optional)").fill(NOTE);
    await page.getByRole("button", { name: `Endorse ${ANALYST.name}` }).click();
    await sees(page, "Thank you.", "endorsed");
    // The link worked once.
    await page.goto(link);
    await sees(page, "This link was used already");
  });

  step("the organizer sees the endorsement and approves without being asked for a reason", async () => {
    const organizer = journey.people.organizer;
    await organizer.reload();
    await sees(organizer, `endorsed by ${CONTACT.name}: ${NOTE}`);
    await doesNotSee(organizer, "Approve without endorsement");
    await journey.look(organizer, "endorsed-registration");
    await organizer.getByRole("button", { name: "Approve", exact: true }).click();
    await sees(organizer, "The decision is saved and the person receives an email.");
  });

  step("the analyst adds her OpenPGP key and opts in to share it", async () => {
    const page = journey.people.ana;
    await page.goto(`${server.url}/me`);
    await page.getByRole("link", { name: "Your OpenPGP key" }).click();
    await page.waitForURL("**/me/openpgp");
    await page.getByLabel("Your public key (ASCII armor)").fill(analystKey.armored);
    await page.getByRole("button", { name: "Save my key" }).click();
    await sees(page, "Your OpenPGP key is saved.", "Your key");
    const shown = (await page.locator("main").innerText()).replace(/\s+/g, "");
    assert.ok(shown.includes(analystKey.fingerprint), `the page shows the fingerprint ${analystKey.fingerprint}`);
    await journey.look(page, "openpgp-key");

    await page.goto(`${server.url}/me`);
    await page.getByRole("link", { name: "Your details, changes and withdrawal" }).click();
    await page.getByLabel("Yes, show my email and key").check();
    await page.getByLabel("Yes, add me to the community mailing list").check();
    await page.getByRole("button", { name: "Save my sharing choices" }).click();
    await sees(page, "Your sharing choices are saved.");
    await journey.look(page, "sharing");
    assert.ok(await page.getByLabel("Yes, show my email and key").isChecked());
  });

  step("another attendee sees her fingerprint and downloads the keyring: exactly her key", async () => {
    const page = await journey.open(ATTENDEE.key);
    await signIn(page, ATTENDEE);
    await page.waitForURL("**/me");
    await page.goto(`${server.url}/meetings/${SLUG}/attendees`);
    await sees(page, ANALYST.name, ANALYST.email);
    const shown = (await page.locator("main").innerText()).replace(/\s+/g, "");
    assert.ok(shown.includes(analystKey.fingerprint), "her fingerprint is listed");
    await journey.look(page, "directory");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "the shared OpenPGP keys" }).click(),
    ]);
    const armored = await readFile(await download.path(), "utf8");
    assert.deepEqual(await fingerprintsIn(armored), [analystKey.fingerprint]);
  });

  step("an encrypted announcement: gpg decrypts it with her key and verifies the organizers' signature", async () => {
    const organizer = journey.people.organizer;
    await organizer.goto(`${server.url}/admin/meetings/${SLUG}/announce`);
    await organizer.getByLabel("Subject").fill(SUBJECT);
    await organizer.getByLabel("Message").fill(BODY);
    await organizer.getByLabel("Encrypted to those with an OpenPGP key, not sent to the others").check();
    await organizer.getByRole("button", { name: /Check/ }).click();
    await sees(organizer, "1 encrypted to their OpenPGP key");
    await journey.look(organizer, "announce-confirm");
    await organizer.getByRole("button", { name: /^Send to 1 person$/ }).click();

    const mail = await waitForMessage(server.mailDir, ANALYST.email, { subject: /encrypted/ });
    assert.ok(!mail.subject.includes(SUBJECT), "the subject outside says nothing of the content");
    assert.ok(!mail.raw.includes(BODY) && !mail.raw.includes(SUBJECT), "nothing of it in clear");
    assert.match(mail.raw, /multipart\/encrypted;[\s\S]*protocol="application\/pgp-encrypted"/);
    const armored = mail.raw.match(/-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/);
    assert.ok(armored, "an armored OpenPGP message");

    // She takes the organizers' key from the meeting's page, as the overview offers it.
    const page = journey.people.ana;
    await page.goto(`${server.url}/meetings/${SLUG}`);
    const published = await (await page.request.get(`${server.url}/openpgp-key.asc`)).text();
    assert.deepEqual(await fingerprintsIn(published), [organizerKey.fingerprint]);
    await analystRing.import(published);
    const { text, status } = await analystRing.decrypt(armored[0]);
    assert.ok(text.includes(BODY), `the decrypted part holds the message:\n${text}`);
    assert.ok(text.includes(SUBJECT), "and its real subject");
    assert.ok(
      status.some((l) => l.startsWith(`[GNUPG:] VALIDSIG ${organizerKey.fingerprint} `)),
      `a valid signature by ${organizerKey.fingerprint}:\n${status.join("\n")}`,
    );
    assert.ok(status.some((l) => l.startsWith("[GNUPG:] GOODSIG")), "GOODSIG");
    assert.ok(!status.some((l) => /\b(BADSIG|ERRSIG|DECRYPTION_FAILED)\b/.test(l)), status.join("\n"));

    // The demo attendee has no key: with "not sent to the others" she gets nothing.
    const toAttendee = (await readMessages(server.mailDir)).filter((m) => m.to.includes(DEMO.attendee) && /Announcement/.test(m.subject));
    assert.equal(toAttendee.length, 0);
  });

  test("no page of the trust network breaks a script, and axe finds no serious or critical violation", () => {
    assert.deepEqual(inspector.pageErrors, [], "uncaught script errors");
    assert.equal(inspector.violations.length, 0, `axe-core findings:\n${inspector.report()}`);
  });

  test("on every page of the trust network Tab reaches every link, button and field, and the focus shows", () => {
    assert.equal(inspector.keyboard.length, 0, `keyboard findings:\n${inspector.keyboardReport()}`);
  });
});
