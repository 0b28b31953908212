// `csirt-meet demo` run against a browser-suite server's own database: the demo meeting
// (natcsirt-demo, eight weeks ahead in Denver, a published two-day agenda), its teams, and
// two accounts whose passwords the command prints.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

import { REPO, binaryPath } from "./server.mjs";

export const DEMO = {
  slug: "natcsirt-demo",
  zone: "America/Denver",
  organizer: "demo-organizer@example.org",
  attendee: "demo-attendee@cert.at",
};

/** Loads the demo into `server`'s database; resolves to { organizer, attendee } passwords. */
export async function loadDemo(server) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("CSIRT_MEET__") && k !== "RUST_LOG"),
  );
  Object.assign(env, {
    DATABASE_URL: `sqlite://${path.join(server.dir, "csirt-meet.db")}`,
    CSIRT_MEET__MAIL__TRANSPORT: "file",
    CSIRT_MEET__MAIL__FILE_DIR: server.mailDir,
    CSIRT_MEET__MAIL__FROM: "NatCSIRT meeting <natcsirt-meeting@cert.example>",
  });
  const config = path.join(server.dir, "settings.toml");
  const { stdout } = await promisify(execFile)(binaryPath(), ["--config", config, "demo"], { cwd: REPO, env });
  const password = (email) => {
    const found = stdout.match(new RegExp(`^${email.replace(/[.]/g, "\\.")} / (.+)$`, "m"));
    assert.ok(found, `the demo prints the password of ${email}:\n${stdout}`);
    return found[1].trim();
  };
  return { organizer: password(DEMO.organizer), attendee: password(DEMO.attendee) };
}
