/**
 * Verify saved webhook deliveries with `verifyWebhook`: each file is a JSON
 * object `{"headers": {...}, "body": "<raw body>"}`; the secrets are
 * $DATAFLOW_WEBHOOK_SECRETS (one `whsec_…` or several, comma-separated). Prints
 * "<file>: verified <event type>" or "<file>: rejected: <why>" for each, and
 * exits 1 when one is rejected.
 *
 *   DATAFLOW_WEBHOOK_SECRETS=whsec_... node dist/examples/verify-webhook.js delivery.json ...
 *
 * A receiver does the same with the request's raw body and headers:
 *
 *   const event = verifyWebhook(req.headers, rawBody, secrets);
 */
import { readFileSync } from "node:fs";

import { WebhookVerificationError, verifyWebhook } from "../src/index.js";
import { run } from "./run.js";

async function main(): Promise<number> {
  const secrets = (process.env.DATAFLOW_WEBHOOK_SECRETS ?? "").split(",").filter(Boolean);
  let rejected = 0;
  for (const path of process.argv.slice(2)) {
    const delivery = JSON.parse(readFileSync(path, "utf8")) as { headers: Record<string, string>; body: string };
    try {
      const event = verifyWebhook(delivery.headers, delivery.body, secrets) as { type?: string };
      console.log(`${path}: verified ${event.type}`);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      console.log(`${path}: rejected: ${error.message}`);
      rejected += 1;
    }
  }
  return rejected ? 1 : 0;
}

run(main);
