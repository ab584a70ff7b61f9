/**
 * Print every event of one execution, from the start (or after the sequence
 * given as second argument) until its terminal event, one line each:
 * "event <sequence>: <type>". Exits 1 when the watch fails.
 *
 *   npm run build && DATAFLOW_ADDRESS=127.0.0.1:50051 node dist/examples/watch.js we-... [after-sequence]
 */
import { DataflowClient } from "../src/index.js";
import { run } from "./run.js";

async function main(): Promise<number> {
  const [executionId, after] = process.argv.slice(2);
  if (!executionId) throw new Error("usage: watch.js <execution-id> [after-sequence]");
  const client = new DataflowClient();
  try {
    for await (const event of client.watch(executionId, { afterSequence: Number(after ?? 0) })) {
      console.log(`event ${event.sequence}: ${event.type}`);
    }
    return 0;
  } finally {
    client.close();
  }
}

run(main);
