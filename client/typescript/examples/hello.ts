/**
 * The Getting Started "Hello World" against a Dataflow server: create the
 * workflow, execute it with the text "Hello from TypeScript", print every
 * event of the execution until its end, download the `audio` output and print
 * the final status. Exits 1 unless the execution COMPLETED.
 *
 *   npm run build && DATAFLOW_ADDRESS=127.0.0.1:50051 node dist/examples/hello.js [audio-path]
 *
 * A server with keys and TLS (the client reads these variables):
 *
 *   DATAFLOW_API_KEY=dfk_... DATAFLOW_CA_FILE=ca.pem \
 *     DATAFLOW_ADDRESS=dataflow.example.com:50051 node dist/examples/hello.js
 *
 * The audio goes to the path given as argument, else $DATAFLOW_AUDIO_OUT,
 * else hello-ts.mp3.
 */
import {
  DataflowClient,
  Execution_Status,
  TaskRun_Status,
  fileId,
  isTerminal,
  resolveAddress,
  statusName,
} from "../src/index.js";
import type { Execution, ExecutionEvent } from "../src/index.js";
import { run } from "./run.js";

// The request body of the Getting Started page, verbatim.
const HELLO_WORLD = `{
  "title": "Hello World Workflow",
  "description": "A simple text-to-speech workflow",
  "inputs": [
    {
      "name": "text",
      "type": "text",
      "description": "Text to convert to speech"
    }
  ],
  "tasks": [
    {
      "name": "text_to_speech",
      "type": "openai.audio.tts",
      "inputs": {
        "text": "{{inputs.text}}",
        "voice": "alloy"
      }
    }
  ],
  "outputs": [
    {
      "name": "audio",
      "type": "file",
      "value": "{{tasks.text_to_speech.outputs.audio}}"
    }
  ]
}`;

function describe(e: ExecutionEvent): string {
  let line = `event ${e.sequence}: ${e.type} status=${statusName(e.status)}`;
  if (e.taskName) {
    line += ` task=${e.taskName} task_status=${TaskRun_Status[e.taskStatus]} attempt=${e.attempt}`;
  }
  if (e.error) line += ` error=${e.error.code}: ${e.error.message}`;
  return line;
}

async function main(): Promise<number> {
  const out = process.argv[2] || process.env.DATAFLOW_AUDIO_OUT || "hello-ts.mp3";
  const client = new DataflowClient();
  try {
    console.log(`server: ${resolveAddress()}`);
    const created = await client.createWorkflow(HELLO_WORLD);
    console.log(`workflow: ${created.workflowId} (version ${created.workflowVersion})`);

    const started = await client.execute(created.workflowId, { text: "Hello from TypeScript" });
    const executionId = started.workflowExecutionId;
    console.log(`execution: ${executionId} (${statusName(started.status)})`);

    let final: Execution | undefined;
    for await (const event of client.watch(executionId)) {
      console.log(describe(event));
      if (event.execution) final = event.execution;
    }
    if (final === undefined || !isTerminal(final.status)) final = await client.getExecution(executionId);

    if (final.status === Execution_Status.COMPLETED) {
      const id = fileId(final.outputs?.["audio"]);
      if (id === undefined) throw new Error(`execution ${executionId} has no audio file output`);
      const file = await client.downloadToFile(id, out);
      console.log(`audio: ${file?.fileId} (${file?.name}, ${file?.contentType}, ${file?.sizeBytes} bytes) -> ${out}`);
    } else if (final.error) {
      console.log(`error: ${final.error.code}: ${final.error.message}`);
    }
    console.log(`status: ${statusName(final.status)}`);
    return final.status === Execution_Status.COMPLETED ? 0 : 1;
  } finally {
    client.close();
  }
}

run(main);
