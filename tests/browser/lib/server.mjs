// Starts the debug server as a person would (`csirt-meet serve`) on a free loopback port,
// with a fresh SQLite database and the file mail transport in a temporary folder, and reads
// the one-time setup link it prints. Nothing is built here: .ci/browser builds first.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The binary under test: CSIRT_MEET_BIN, or the debug build in CARGO_TARGET_DIR (or target/). */
export function binaryPath() {
  if (process.env.CSIRT_MEET_BIN) return process.env.CSIRT_MEET_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO, "target");
  return path.join(target, "debug", "csirt-meet");
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Debian's libfaketime (package `faketime`): the server's wall clock, moved by a file.
const FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

/**
 * Resolves to { url, setupLink, mailDir, dir, output(), stop(), moveClock() } once the server
 * prints its setup link; rejects (and stops the process) if it exits or stays silent for
 * `timeoutMs`.
 *
 * `movableClock: true` starts the server under libfaketime: `moveClock(seconds)` then moves
 * its wall clock that far ahead of the real one (within a second), as days passing would.
 * Timers (the monotonic clock) are left alone. The app itself has no way to move its clock.
 * `env` adds settings of the journey's own (CSIRT_MEET__… variables).
 */
export async function startServer({ timeoutMs = 60_000, movableClock = false, env: extra = {} } = {}) {
  const bin = binaryPath();
  if (!existsSync(bin)) {
    throw new Error(`no server binary at ${bin}: run \`cargo build\` first or set CSIRT_MEET_BIN`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "csirt-meet-browser-"));
  const mailDir = path.join(dir, "mail");
  // An empty settings file, so a developer's config/local.toml does not leak into the run.
  const config = path.join(dir, "settings.toml");
  await writeFile(config, "# browser suite: defaults and the environment only\n");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("CSIRT_MEET__") && k !== "RUST_LOG"),
  );
  Object.assign(env, {
    CSIRT_MEET__SERVER__HOST: "127.0.0.1",
    CSIRT_MEET__SERVER__PORT: String(port),
    CSIRT_MEET__SERVER__PUBLIC_URL: url,
    CSIRT_MEET__SERVER__WORKERS: "2",
    CSIRT_MEET__MAIL__TRANSPORT: "file",
    CSIRT_MEET__MAIL__FILE_DIR: mailDir,
    CSIRT_MEET__MAIL__POLL_INTERVAL_SECS: "1",
    // The ORGANIZER of calendar invites must be a deliverable address: the default
    // (…@localhost) is refused when an approval builds its invite.
    CSIRT_MEET__MAIL__FROM: "NatCSIRT meeting <natcsirt-meeting@cert.example>",
    CSIRT_MEET__AUTH__SETUP_LINK: "true",
    DATABASE_URL: `sqlite://${path.join(dir, "csirt-meet.db")}`,
  });
  // A journey's own settings (CSIRT_MEET__… variables), e.g. the organizers' signing key.
  Object.assign(env, extra);
  const clockFile = path.join(dir, "faketime.rc");
  if (movableClock) {
    if (!existsSync(FAKETIME)) throw new Error(`no ${FAKETIME}: install Debian's faketime package`);
    await writeFile(clockFile, "+0\n");
    Object.assign(env, {
      LD_PRELOAD: FAKETIME,
      FAKETIME_TIMESTAMP_FILE: clockFile,
      FAKETIME_CACHE_DURATION: "1",
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
    });
  }
  const moveClock = async (seconds) => {
    if (!movableClock) throw new Error("the server was started without movableClock");
    await writeFile(clockFile, `+${Math.ceil(seconds)}\n`);
    // libfaketime reads the file again after FAKETIME_CACHE_DURATION.
    await new Promise((r) => setTimeout(r, 2_500));
  };

  // Templates and assets are read relative to the working directory: the repository.
  const child = spawn(bin, ["--config", config, "serve"], {
    cwd: REPO,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  let exited = null;
  const exitedPromise = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  // Killed with the test process, whatever happens to it.
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);

  const stop = async () => {
    process.removeListener("exit", onExit);
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exitedPromise;
      clearTimeout(timer);
    }
    if (!process.env.CSIRT_MEET_KEEP_TMP) await rm(dir, { recursive: true, force: true });
  };

  const setupLink = await new Promise((resolve, reject) => {
    let settled = false;
    const fail = async (why) => {
      if (settled) return;
      settled = true;
      await stop();
      reject(new Error(`${why}\n--- server output ---\n${log}`));
    };
    const timer = setTimeout(() => fail(`no setup link within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk) => {
      log += chunk;
      const found = log.match(/(http:\/\/127\.0\.0\.1:\d+\/setup\/[A-Za-z0-9_-]+)/);
      if (found && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    exitedPromise.then((e) => {
      clearTimeout(timer);
      fail(`the server exited before printing a setup link (${JSON.stringify(e)})`);
    });
  });

  return { url, setupLink, mailDir, dir, output: () => log, stop, moveClock };
}
