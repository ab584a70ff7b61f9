/**
 * Verifying Dataflow's webhook deliveries (Standard Webhooks), for receivers:
 * `webhook-signature` holds one `v1,<base64 HMAC-SHA256>` per signing secret
 * (space-separated; two while the server's rotation window is open) over
 * `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed by the base64-decoded
 * part of a `whsec_…` secret.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** How far `webhook-timestamp` may be from now, either way (5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

const SECRET_PREFIX = "whsec_";

/** A delivery that does not verify (the message says why). */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
}

/** Request headers: node's `req.headers` or a fetch `Headers`; names are case-insensitive. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Check a delivery's `webhook-signature` and `webhook-timestamp` (within
 * {@link WEBHOOK_TOLERANCE_SECONDS} of `now`) and return the parsed JSON body;
 * throws {@link WebhookVerificationError} when it does not verify.
 *
 * `secrets`: one `whsec_…` secret, or several (the old and the new one while
 * you switch after a rotation). A delivery verifies when any of its signatures
 * matches any of them. Pass the raw body exactly as received. De-duplicate on
 * `webhook-id`: retries of one event carry the same id.
 */
export function verifyWebhook(
  headers: WebhookHeaders,
  body: string | Uint8Array,
  secrets: string | readonly string[],
  now: Date = new Date(),
): unknown {
  const keys = (typeof secrets === "string" ? [secrets] : secrets).map(secretKey);
  if (keys.length === 0) throw new TypeError("verifyWebhook needs at least one secret");
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError("missing required headers");
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError("invalid webhook-timestamp");
  const age = now.getTime() / 1000 - Number(timestamp);
  if (age > WEBHOOK_TOLERANCE_SECONDS) throw new WebhookVerificationError("message timestamp too old");
  if (age < -WEBHOOK_TOLERANCE_SECONDS) throw new WebhookVerificationError("message timestamp too new");

  const raw = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, "utf8"), raw]);
  const expected = keys.map((key) => createHmac("sha256", key).update(signed).digest());
  for (const versioned of signatures.split(" ")) {
    const [version, signature] = versioned.split(",", 2);
    if (version !== "v1" || signature === undefined) continue;
    const given = Buffer.from(signature, "base64");
    if (expected.some((mac) => mac.length === given.length && timingSafeEqual(mac, given))) {
      return JSON.parse(raw.toString("utf8"));
    }
  }
  throw new WebhookVerificationError("no matching signature found");
}

function secretKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  if (key.length === 0) throw new TypeError("a webhook secret may not be empty");
  return key;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(", ") : value;
  }
  return undefined;
}
