/**
 * Run workflows to their outcome, one a line of JSON on stdin:
 * `{"workflow_id": "wf-...", "inputs": {...}, "wait_ms": 500, "request_id": "..."}`
 * (all but `workflow_id` optional; `"execute": true` calls `execute` with that
 * wait instead of `run`; `"watch": true` calls `executeAndWatch`, with
 * `"event_types": [...]` if given). Prints one JSON line each: `{"execution": ...}`
 * (the final execution, whatever its status), `{"response": ...}` (execute),
 * `{"execution_id": "we-...", "events": [...]}` (executeAndWatch), or
 * `{"error": {"code": "INVALID_ARGUMENT", "message": ...}}` when refused.
 *
 *   echo '{"workflow_id": "wf-..."}' | node dist/examples/run-workflows.js
 */
import { createInterface } from "node:readline";

import { toJson } from "@bufbuild/protobuf";
import type { JsonObject } from "@bufbuild/protobuf";

import {
  Code,
  ConnectError,
  DataflowClient,
  ExecuteWorkflowResponseSchema,
  ExecutionEventSchema,
  ExecutionSchema,
} from "../src/index.js";
import { run } from "./run.js";

interface Job {
  workflow_id: string;
  inputs?: JsonObject;
  wait_ms?: number;
  request_id?: string;
  execute?: boolean;
  watch?: boolean;
  event_types?: string[];
}

async function perform(client: DataflowClient, job: Job): Promise<unknown> {
  const options = { waitMs: job.wait_ms, requestId: job.request_id };
  try {
    if (job.watch) {
      let executionId = "";
      const events = [];
      const stream = client.executeAndWatch(job.workflow_id, job.inputs ?? {}, {
        requestId: job.request_id,
        eventTypes: job.event_types,
        onStarted: (started) => (executionId = started.workflowExecutionId),
      });
      for await (const event of stream) events.push(toJson(ExecutionEventSchema, event));
      return { execution_id: executionId, events };
    }
    if (job.execute) {
      const response = await client.execute(job.workflow_id, job.inputs ?? {}, options);
      return { response: toJson(ExecuteWorkflowResponseSchema, response) };
    }
    const execution = await client.run(job.workflow_id, job.inputs ?? {}, options);
    return { execution: toJson(ExecutionSchema, execution) };
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    // INVALID_ARGUMENT, as gRPC names it.
    const code = Code[error.code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
    return { error: { code, message: error.rawMessage } };
  }
}

async function main(): Promise<number> {
  const client = new DataflowClient();
  try {
    for await (const line of createInterface({ input: process.stdin })) {
      if (line.trim() === "") continue;
      console.log(JSON.stringify(await perform(client, JSON.parse(line) as Job)));
    }
    return 0;
  } finally {
    client.close();
  }
}

run(main);
