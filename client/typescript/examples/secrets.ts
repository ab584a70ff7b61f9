/**
 * Manage your tenant's secrets (values are write-only):
 *
 *   echo "$TOKEN" | node dist/examples/secrets.js set NAME   # value from stdin, one trailing newline dropped
 *   node dist/examples/secrets.js list                       # "NAME updated <time>", one a line
 *   node dist/examples/secrets.js delete NAME
 */
import { text } from "node:stream/consumers";

import { timestampDate } from "@bufbuild/protobuf/wkt";

import { DataflowClient } from "../src/index.js";
import { run } from "./run.js";

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  const client = new DataflowClient();
  try {
    if (command === "set" && name) {
      const value = (await text(process.stdin)).replace(/\r?\n$/, "");
      const secret = await client.setSecret(name, value);
      console.log(`secret ${secret.name} set`);
    } else if (command === "list") {
      for await (const secret of client.iterSecrets()) {
        const updated = secret.updateTime ? timestampDate(secret.updateTime).toISOString() : "-";
        console.log(`${secret.name} updated ${updated}`);
      }
    } else if (command === "delete" && name) {
      await client.deleteSecret(name);
      console.log(`secret ${name} deleted`);
    } else {
      console.error("usage: secrets.js set NAME | list | delete NAME");
      return 2;
    }
    return 0;
  } finally {
    client.close();
  }
}

run(main);
