// Debian's gpg, as an attendee and the organizers would use it: throwaway keyrings in
// temporary homes, keys made there, the app's keyring download read back, and an encrypted
// announcement decrypted and its signature verified (--status-fd, not the human text).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const GPG = process.env.GPG || "/usr/bin/gpg";

/** Runs gpg in `home` with `args`, `input` on stdin; resolves to { stdout, stderr }. */
function gpg(home, args, input = "") {
  return new Promise((resolve, reject) => {
    const child = execFile(
      GPG,
      ["--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", ...args],
      { maxBuffer: 16 << 20 },
      (error, stdout, stderr) => (error ? reject(new Error(`gpg ${args.join(" ")}: ${stderr}`)) : resolve({ stdout, stderr })),
    );
    // Commands that read no input may exit before it is written: not an error.
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/** A fresh gpg home; `dispose()` removes it. */
export async function keyring() {
  const home = await mkdtemp(path.join(os.tmpdir(), "csirt-meet-gpg-"));
  return {
    home,
    /** Makes a version 4 key for `uid` ("Name <email>"), ed25519 with a cv25519 subkey. */
    async generate(uid) {
      await gpg(home, ["--quick-gen-key", uid, "ed25519", "sign", "never"]);
      const fingerprint = (await this.fingerprints(uid))[0];
      await gpg(home, ["--quick-add-key", fingerprint, "cv25519", "encr", "never"]);
      const { stdout: armored } = await gpg(home, ["--armor", "--export", fingerprint]);
      return { fingerprint, armored };
    },
    /** The armored secret key of `fingerprint` (no passphrase). */
    async secret(fingerprint) {
      return (await gpg(home, ["--armor", "--export-secret-keys", fingerprint])).stdout;
    },
    /** The primary keys' fingerprints that `query` finds in this keyring. */
    async fingerprints(query) {
      const { stdout } = await gpg(home, ["--with-colons", "--list-keys", query]);
      return primaryFingerprints(stdout);
    },
    /** Imports armored public keys (the organizers' key, to verify their signature). */
    async import(armored) {
      await gpg(home, ["--import"], armored);
    },
    /** Decrypts `message` and returns { text, status }: status holds the [GNUPG:] lines. */
    async decrypt(message) {
      const { stdout, stderr } = await gpg(home, ["--status-fd", "2", "--decrypt"], message);
      const status = stderr.split("\n").filter((l) => l.startsWith("[GNUPG:] "));
      return { text: stdout, status };
    },
    dispose: () => rm(home, { recursive: true, force: true }),
  };
}

/** The fingerprints of the primary keys in an armored keyring, read by gpg without importing. */
export async function fingerprintsIn(armored) {
  const ring = await keyring();
  try {
    const { stdout } = await gpg(ring.home, ["--with-colons", "--import-options", "show-only", "--import"], armored);
    return primaryFingerprints(stdout);
  } finally {
    await ring.dispose();
  }
}

/** The `fpr` line that follows each `pub` line of gpg's --with-colons listing. */
function primaryFingerprints(colons) {
  const lines = colons.split("\n");
  const found = [];
  lines.forEach((line, i) => {
    if (!line.startsWith("pub:")) return;
    const fpr = lines.slice(i + 1).find((l) => l.startsWith("fpr:"));
    assert.ok(fpr, `a fingerprint after ${line}`);
    found.push(fpr.split(":")[9]);
  });
  return found;
}
