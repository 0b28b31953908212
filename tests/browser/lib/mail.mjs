// Reads what the app "sent": the file mail transport writes one .eml per message. Enough
// MIME to find a message by recipient and read its plain-text part (multipart, base64,
// quoted-printable, RFC 2047 headers); no dependency for it.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

function splitHead(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeWords(value) {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset, enc, text) =>
    enc.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))),
          "latin1",
        ).toString("utf8"),
  );
}

function decodeBody(body, encoding = "") {
  switch (encoding.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable": {
      const bytes = body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
    default:
      return body;
  }
}

/** Leaf parts of a message as [{ type, text }]. */
function parts(raw) {
  const { headers, body } = splitHead(raw);
  const type = headers["content-type"] || "text/plain";
  const boundary = type.match(/boundary="?([^";]+)"?/i);
  if (/^multipart\//i.test(type) && boundary) {
    const chunks = body.split(`--${boundary[1]}`).slice(1);
    return chunks
      .filter((c) => !c.startsWith("--"))
      .flatMap((c) => parts(c.replace(/^\r?\n/, "")));
  }
  return [{ type: type.split(";")[0].trim().toLowerCase(), text: decodeBody(body, headers["content-transfer-encoding"]) }];
}

/** Every message in `dir`: { file, to, subject, text, html, raw }. */
export async function readMessages(dir) {
  let names = [];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".eml")).sort();
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  const out = [];
  for (const name of names) {
    const raw = await readFile(path.join(dir, name), "utf8");
    const { headers } = splitHead(raw);
    const leaves = parts(raw);
    out.push({
      file: name,
      to: decodeWords(headers.to || ""),
      subject: decodeWords(headers.subject || ""),
      text: leaves.find((p) => p.type === "text/plain")?.text ?? "",
      html: leaves.find((p) => p.type === "text/html")?.text ?? "",
      calendar: leaves.find((p) => p.type === "text/calendar")?.text ?? "",
      raw,
    });
  }
  return out;
}

/**
 * Waits (polling, at most `timeoutMs`) until the outbox worker has written a message to
 * `address` whose subject matches `subject`, and returns it.
 */
export async function waitForMessage(dir, address, { subject = /./, timeoutMs = 20_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readMessages(dir)).find(
      (m) => m.to.toLowerCase().includes(address.toLowerCase()) && subject.test(m.subject),
    );
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = (await readMessages(dir)).map((m) => `${m.to}: ${m.subject}`);
      throw new Error(`no message to ${address} matching ${subject} in ${timeoutMs} ms; mail folder has:\n${seen.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first link in the plain-text part that starts with `prefix` (like `${url}/invitations/`). */
export function linkIn(message, prefix) {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const found = message.text.match(new RegExp(`${escaped}\\S+`));
  if (!found) throw new Error(`no link starting ${prefix} in the message "${message.subject}":\n${message.text}`);
  return found[0];
}

/**
 * The text/calendar part of a raw message, found and decoded on its own (no MIME tree):
 * the part's headers, then its base64 body up to the next boundary line.
 */
export function calendarPartOf(raw) {
  const found = raw.match(/Content-Type: text\/calendar[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*((?:\r?\n[A-Za-z-]+:[^\r\n]*)*)\r?\n\r?\n([\s\S]*?)\r?\n--/i);
  if (!found) throw new Error("no text/calendar part in the message");
  if (!/Content-Transfer-Encoding:\s*base64/i.test(found[1])) return found[2];
  return Buffer.from(found[2].replace(/\s+/g, ""), "base64").toString("utf8");
}
