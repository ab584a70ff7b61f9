/**
 * A small typed facade over the generated `dataflow.v1` stubs, speaking gRPC
 * (HTTP/2) through @connectrpc/connect-node.
 *
 * ```ts
 * const client = new DataflowClient(); // $DATAFLOW_ADDRESS or 127.0.0.1:50051; $DATAFLOW_API_KEY, $DATAFLOW_CA_FILE
 * const { workflowId } = await client.createWorkflow(helloWorldJson);
 * const started = await client.execute(workflowId, { text: "Hello" });
 * for await (const event of client.watch(started.workflowExecutionId)) { ... }
 * client.close();
 * ```
 *
 * The generated clients (`workflows`, `executions`, `files`) are public for
 * every call the facade does not wrap, and every generated message type,
 * schema and enum is re-exported from this module.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream, readFileSync } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";

import { fromJson, fromJsonString, isMessage } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client, Interceptor } from "@connectrpc/connect";
import { Http2SessionManager, createGrpcTransport } from "@connectrpc/connect-node";

import { Execution_Status } from "./gen/dataflow/v1/execution_pb.js";
import type { Execution, ExecutionEvent } from "./gen/dataflow/v1/execution_pb.js";
import { ExecutionService } from "./gen/dataflow/v1/execution_service_pb.js";
import type { ExecuteWorkflowResponse } from "./gen/dataflow/v1/execution_service_pb.js";
import type { File } from "./gen/dataflow/v1/file_pb.js";
import { FileService } from "./gen/dataflow/v1/file_service_pb.js";
import { SecretService } from "./gen/dataflow/v1/secret_service_pb.js";
import type { ListSecretsResponse, Secret } from "./gen/dataflow/v1/secret_service_pb.js";
import { WorkflowSchema } from "./gen/dataflow/v1/workflow_pb.js";
import type { Workflow } from "./gen/dataflow/v1/workflow_pb.js";
import { WorkflowService } from "./gen/dataflow/v1/workflow_service_pb.js";
import type { CreateWorkflowResponse } from "./gen/dataflow/v1/workflow_service_pb.js";

export * from "./gen/dataflow/v1/execution_pb.js";
export * from "./gen/dataflow/v1/execution_service_pb.js";
export * from "./gen/dataflow/v1/file_pb.js";
export * from "./gen/dataflow/v1/file_service_pb.js";
export * from "./gen/dataflow/v1/secret_service_pb.js";
export * from "./gen/dataflow/v1/workflow_pb.js";
export * from "./gen/dataflow/v1/workflow_service_pb.js";
export { Code, ConnectError } from "@connectrpc/connect";
export { WEBHOOK_TOLERANCE_SECONDS, WebhookVerificationError, verifyWebhook } from "./webhooks.js";
export type { WebhookHeaders } from "./webhooks.js";

/** The environment variable naming the server address. */
export const ADDRESS_ENV = "DATAFLOW_ADDRESS";
/** Dialled when neither an argument nor `$DATAFLOW_ADDRESS` gives an address. */
export const DEFAULT_ADDRESS = "127.0.0.1:50051";
/** The environment variable holding the API key sent with every call. */
export const API_KEY_ENV = "DATAFLOW_API_KEY";
/** The environment variable turning TLS on (`true`), verified by Node's trusted roots. */
export const TLS_ENV = "DATAFLOW_TLS";
/** The environment variable naming the PEM CA certificate(s) that verify a TLS server. */
export const CA_FILE_ENV = "DATAFLOW_CA_FILE";
/** The environment variables naming the client certificate and key (PEM) for mutual TLS. */
export const CLIENT_CERT_FILE_ENV = "DATAFLOW_CLIENT_CERT_FILE";
export const CLIENT_KEY_FILE_ENV = "DATAFLOW_CLIENT_KEY_FILE";
/** The longest `wait` the server accepts on ExecuteWorkflow; {@link DataflowClient.run} waits this long by default. */
export const MAX_WAIT_MS = 60_000;
/** How long past its `wait` an ExecuteWorkflow call may take to answer (its deadline is the wait plus this). */
export const WAIT_ANSWER_SLACK_MS = 10_000;
/** How many times in a row {@link DataflowClient.run} repeats its ExecuteWorkflow after UNAVAILABLE (about 20 s of backoff). */
export const RUN_RETRIES = 8;
/** Event types after which an execution is terminal. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
]);

/** `address`, else `$DATAFLOW_ADDRESS`, else {@link DEFAULT_ADDRESS}. */
export function resolveAddress(address?: string): string {
  return address || process.env[ADDRESS_ENV] || DEFAULT_ADDRESS;
}

/** Whether an execution status is final (COMPLETED, FAILED or CANCELLED). */
export function isTerminal(status: Execution_Status): boolean {
  return (
    status === Execution_Status.COMPLETED ||
    status === Execution_Status.FAILED ||
    status === Execution_Status.CANCELLED
  );
}

/** The name of an execution status, e.g. `"COMPLETED"`. */
export function statusName(status: Execution_Status): string {
  return Execution_Status[status] ?? String(status);
}

/**
 * A definition from its JSON form (the body of the Getting Started page; the
 * JSON names are snake_case, e.g. `timeout_seconds`), as a string or a value.
 */
export function parseWorkflow(json: string | JsonValue): Workflow {
  return typeof json === "string" ? fromJsonString(WorkflowSchema, json) : fromJson(WorkflowSchema, json);
}

/** The `file_id` of a file-typed value such as an execution output, if any. */
export function fileId(value: JsonValue | undefined): string | undefined {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const id = value["file_id"];
    if (typeof id === "string" && id !== "") return id;
  }
  return undefined;
}

export interface ClientOptions {
  /** Deadline of each unary call, in milliseconds (default 30 000; 0 = none). */
  timeoutMs?: number;
  /**
   * Sent as `authorization: Bearer <key>` with every call, streams included, over TLS or
   * plaintext (default `$DATAFLOW_API_KEY`). Kept in a closure, never in a property.
   */
  apiKey?: string;
  /**
   * Connect over TLS (default `$DATAFLOW_TLS`), verified by Node's trusted roots unless
   * `caFile` is given; an `https://` address or any file below implies it.
   */
  tls?: boolean;
  /** PEM CA certificate(s) that verify the server (default `$DATAFLOW_CA_FILE`). */
  caFile?: string;
  /** PEM client certificate for a server requiring one (default `$DATAFLOW_CLIENT_CERT_FILE`). */
  clientCertFile?: string;
  /** The client certificate's PEM key (default `$DATAFLOW_CLIENT_KEY_FILE`). */
  clientKeyFile?: string;
}

function envFlag(value: string | undefined): boolean {
  return ["1", "true", "yes", "on"].includes((value ?? "").trim().toLowerCase());
}

/** Adds the key to every request: a header works on plaintext channels too. */
function bearer(apiKey: string): Interceptor {
  return (next) => async (req) => {
    req.header.set("authorization", `Bearer ${apiKey}`);
    return next(req);
  };
}

export interface WatchOptions {
  /** Skip events up to and including this sequence (default 0: from the start). */
  afterSequence?: number;
  /** Only these event types (default: all). The stream still ends at the terminal event. */
  eventTypes?: string[];
  /** Stop watching when this signal aborts. */
  signal?: AbortSignal;
  /** Resumes in a row after an UNAVAILABLE stream break (default 8: about 20 s of backoff). */
  maxResumes?: number;
}

export interface ExecuteOptions {
  /**
   * Idempotency key: a repeat of the same request with this id returns the original
   * execution instead of starting another (a different request with it: ALREADY_EXISTS).
   */
  requestId?: string;
  /** A URL the server posts the execution's events to. */
  webhook?: string;
  /**
   * How long the server waits for the execution to end before answering, in ms (at most
   * {@link MAX_WAIT_MS}; 0 or unset: answer as soon as it is queued). The answer's
   * `execution` is then the outcome, or the execution as it stands when the wait ran out.
   */
  waitMs?: number;
  /** Abort the call when this signal aborts. */
  signal?: AbortSignal;
}

export interface ExecuteAndWatchOptions {
  /**
   * Idempotency key, as in {@link ExecuteOptions.requestId}. Default a random UUID, so that
   * the call's own repeats after UNAVAILABLE cannot start a second execution.
   */
  requestId?: string;
  /** A URL the server posts the execution's events to. */
  webhook?: string;
  /** Only these event types (default: all). The stream still ends at the terminal event. */
  eventTypes?: string[];
  /** Stop when this signal aborts (the execution goes on). */
  signal?: AbortSignal;
  /** Repeats (before the start) or resumes (after it) in a row after a stream break (default {@link RUN_RETRIES}). */
  maxResumes?: number;
  /** Receives the accepted execution (its id) once, before its first event. */
  onStarted?: (started: ExecuteWorkflowResponse) => void;
}

export interface RunOptions extends ExecuteOptions {
  /**
   * Default a random UUID, so that run's own repeats after UNAVAILABLE cannot start a
   * second execution; give your own to retry a run that threw with the same id.
   */
  requestId?: string;
  /** Default and at most {@link MAX_WAIT_MS}; the rest of the run follows the events. */
  waitMs?: number;
  /** Stop the run when this signal aborts (e.g. `AbortSignal.timeout(ms)`); the execution goes on. */
  signal?: AbortSignal;
}

/** The largest message the client accepts: the server's limit. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * A connection to a Dataflow server: gRPC over HTTP/2, plaintext or TLS (see
 * {@link ClientOptions}: an API key, a CA file, a client certificate).
 */
export class DataflowClient {
  readonly address: string;
  readonly workflows: Client<typeof WorkflowService>;
  readonly executions: Client<typeof ExecutionService>;
  readonly files: Client<typeof FileService>;
  readonly secrets: Client<typeof SecretService>;
  private readonly sessions: Http2SessionManager;
  private readonly timeoutMs: number | undefined;
  private closed = false;

  constructor(address?: string, options: ClientOptions = {}) {
    this.address = resolveAddress(address);
    const env = process.env;
    const apiKey = (options.apiKey ?? env[API_KEY_ENV] ?? "").trim();
    const caFile = options.caFile ?? env[CA_FILE_ENV] ?? "";
    const certFile = options.clientCertFile ?? env[CLIENT_CERT_FILE_ENV] ?? "";
    const keyFile = options.clientKeyFile ?? env[CLIENT_KEY_FILE_ENV] ?? "";
    if (Boolean(certFile) !== Boolean(keyFile)) {
      throw new Error("a client certificate needs its key, and a key its certificate");
    }
    const secure =
      (options.tls ?? envFlag(env[TLS_ENV])) || Boolean(caFile || certFile) ||
      this.address.startsWith("https://");
    const baseUrl = /^https?:\/\//.test(this.address)
      ? this.address
      : `${secure ? "https" : "http"}://${this.address}`;
    this.sessions = new Http2SessionManager(
      baseUrl,
      undefined,
      secure
        ? {
            ca: caFile ? readFileSync(caFile) : undefined,
            cert: certFile ? readFileSync(certFile) : undefined,
            key: keyFile ? readFileSync(keyFile) : undefined,
          }
        : {},
    );
    // Executions carry task outputs (up to the server's 64 MiB message limit).
    const transport = createGrpcTransport({
      baseUrl,
      sessionManager: this.sessions,
      readMaxBytes: MAX_MESSAGE_BYTES,
      interceptors: apiKey ? [bearer(apiKey)] : [],
    });
    this.workflows = createClient(WorkflowService, transport);
    this.executions = createClient(ExecutionService, transport);
    this.files = createClient(FileService, transport);
    this.secrets = createClient(SecretService, transport);
    const timeout = options.timeoutMs ?? 30_000;
    this.timeoutMs = timeout > 0 ? timeout : undefined;
  }

  /** Close the HTTP/2 connection (calls in flight fail). */
  close(): void {
    this.closed = true;
    this.sessions.abort();
  }

  /** Validate a definition and store it as version 1 (it is not run). */
  async createWorkflow(definition: Workflow | string | JsonValue): Promise<CreateWorkflowResponse> {
    const workflow = isMessage(definition, WorkflowSchema) ? definition : parseWorkflow(definition);
    return this.workflows.createWorkflow({ workflow }, { timeoutMs: this.timeoutMs });
  }

  /**
   * Queue an execution of the workflow's latest version with these inputs. With
   * `waitMs`, the server answers once it has ended (or the wait ran out), with the
   * execution in `execution`; that call's deadline is the wait plus {@link WAIT_ANSWER_SLACK_MS}.
   */
  async execute(
    workflowId: string,
    inputs: JsonObject = {},
    options: ExecuteOptions = {},
  ): Promise<ExecuteWorkflowResponse> {
    const waitMs = options.waitMs;
    return this.executions.executeWorkflow(
      {
        workflowId,
        inputs,
        requestId: options.requestId ?? "",
        monitoring: options.webhook ? { webhook: options.webhook } : undefined,
        wait: waitMs === undefined ? undefined : durationFromMs(Math.round(waitMs)),
      },
      {
        timeoutMs: waitMs === undefined || waitMs <= 0 ? this.timeoutMs : waitMs + WAIT_ANSWER_SLACK_MS,
        signal: options.signal,
      },
    );
  }

  /**
   * Execute the workflow and return the execution once it has ended (COMPLETED,
   * FAILED with its `error`, or CANCELLED: an outcome, not an exception). One call
   * when it ends within the wait (default and at most a minute); past that, it
   * follows the execution's terminal event with {@link watch} (resumed as watch
   * is). The call carries a request id (a random UUID unless given) and is
   * repeated after UNAVAILABLE (up to {@link RUN_RETRIES} times, 0.2 s to 5 s
   * apart) with that id: a repeat returns the same execution, never a second
   * one. Refused requests (e.g. INVALID_ARGUMENT) throw a `ConnectError`; to
   * retry a run that threw, pass your own `requestId` both times.
   */
  async run(workflowId: string, inputs: JsonObject = {}, options: RunOptions = {}): Promise<Execution> {
    const request = {
      ...options,
      requestId: options.requestId || randomUUID(),
      waitMs: Math.min(options.waitMs ?? MAX_WAIT_MS, MAX_WAIT_MS),
    };
    // The same request id each time: a request whose answer was lost is not run twice.
    let started: ExecuteWorkflowResponse | undefined;
    for (let retries = 0, backoffMs = 200; started === undefined; retries++) {
      try {
        started = await this.execute(workflowId, inputs, request);
      } catch (error) {
        const stopped = this.closed || options.signal?.aborted === true;
        if (ConnectError.from(error).code !== Code.Unavailable || stopped || retries >= RUN_RETRIES) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
    if (started.execution !== undefined && isTerminal(started.execution.status)) return started.execution;
    const executionId = started.workflowExecutionId;
    const watch = { eventTypes: [...TERMINAL_EVENT_TYPES], signal: options.signal };
    for await (const event of this.watch(executionId, watch)) {
      if (TERMINAL_EVENT_TYPES.has(event.type) && event.execution !== undefined) return event.execution;
    }
    return this.getExecution(executionId);
  }

  /**
   * Execute the workflow and yield its events from the first (sequence 1) to
   * the terminal one, in one call (ExecuteAndWatch); `options.onStarted`
   * receives the accepted execution (its id) before any event. The call carries a request
   * id (a random UUID unless given): when the stream breaks with UNAVAILABLE or
   * RESOURCE_EXHAUSTED before the execution was named, the call is repeated
   * with that id (0.2 s to 5 s apart; a repeat streams the same execution,
   * never a second one); after it, the events go on with {@link watch} from the
   * last sequence seen, without gap or duplicate. Refused requests (e.g.
   * INVALID_ARGUMENT) throw a `ConnectError`. `break` stops watching.
   */
  async *executeAndWatch(
    workflowId: string,
    inputs: JsonObject = {},
    options: ExecuteAndWatchOptions = {},
  ): AsyncGenerator<ExecutionEvent, void, undefined> {
    const request = {
      workflowId,
      inputs,
      requestId: options.requestId || randomUUID(),
      monitoring: options.webhook ? { webhook: options.webhook } : undefined,
      eventTypes: options.eventTypes ?? [],
    };
    const maxResumes = options.maxResumes ?? RUN_RETRIES;
    let executionId: string | undefined;
    let last = 0;
    for (let failures = 0, backoffMs = 200; ; failures++) {
      let terminal = false;
      try {
        for await (const reply of this.executions.executeAndWatch(request, { signal: options.signal })) {
          if (reply.started !== undefined && executionId === undefined) {
            executionId = reply.started.workflowExecutionId;
            options.onStarted?.(reply.started);
          }
          for (const event of reply.events) {
            last = Math.max(last, event.sequence);
            terminal = TERMINAL_EVENT_TYPES.has(event.type);
            yield event;
          }
        }
        return; // the server ends the stream after the terminal event
      } catch (error) {
        const code = ConnectError.from(error).code;
        const stopped = this.closed || options.signal?.aborted === true;
        if (terminal && !stopped) return;
        const resumable =
          code === Code.Unavailable || code === Code.ResourceExhausted || (code === Code.Canceled && !stopped);
        if (!resumable || stopped || failures >= maxResumes) throw error;
        if (executionId !== undefined) break;
        // Not started yet: repeat with the same request id.
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
    yield* this.watch(executionId, {
      afterSequence: last,
      eventTypes: options.eventTypes,
      signal: options.signal,
      maxResumes,
    });
  }

  /** An execution with its tasks, outputs and error. */
  async getExecution(executionId: string): Promise<Execution> {
    const reply = await this.executions.getExecution(
      { workflowExecutionId: executionId },
      { timeoutMs: this.timeoutMs },
    );
    if (reply.execution === undefined) throw new Error(`no execution in the reply for ${executionId}`);
    return reply.execution;
  }

  /**
   * The events of an execution, from the log and then live, until its
   * terminal event. A stream broken because the server went away (UNAVAILABLE,
   * or its connection reset) is resumed from the last sequence seen, without
   * gap or duplicate. `break` stops watching.
   */
  async *watch(executionId: string, options: WatchOptions = {}): AsyncGenerator<ExecutionEvent, void, undefined> {
    let last = options.afterSequence ?? 0;
    const maxResumes = options.maxResumes ?? 8;
    let failures = 0;
    let backoffMs = 200;
    for (;;) {
      let terminal = false;
      try {
        const stream = this.executions.watchExecution(
          {
            workflowExecutionId: executionId,
            afterSequence: last,
            eventTypes: options.eventTypes ?? [],
            batchEvents: true,
          },
          { signal: options.signal },
        );
        for await (const reply of stream) {
          // A batch in `events`; a server older than that field sends one `event`.
          const events = reply.events.length > 0 ? reply.events : reply.event ? [reply.event] : [];
          for (const event of events) {
            // Seen once handed over: the next message is read after the whole batch.
            last = Math.max(last, event.sequence);
            terminal = TERMINAL_EVENT_TYPES.has(event.type);
            failures = 0;
            backoffMs = 200;
            yield event;
          }
        }
        return; // the server ends the stream after the terminal event
      } catch (error) {
        const code = ConnectError.from(error).code;
        const stopped = this.closed || options.signal?.aborted === true;
        if (terminal && !stopped) return;
        // A server that went away shows as UNAVAILABLE, or as CANCELED when
        // the HTTP/2 connection died under the stream (not on our request).
        const resumable = code === Code.Unavailable || (code === Code.Canceled && !stopped);
        if (!resumable || stopped || failures >= maxResumes) throw error;
        failures += 1;
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  }

  /**
   * Create the secret `name` of your tenant, or replace its value (admin
   * scope). Task inputs that accept secrets reference it as `{{secrets.NAME}}`;
   * the value is write-only: no call returns it.
   */
  async setSecret(name: string, value: string): Promise<Secret> {
    const reply = await this.secrets.setSecret({ name, value }, { timeoutMs: this.timeoutMs });
    if (reply.secret === undefined) throw new Error(`no secret in the reply for ${name}`);
    return reply.secret;
  }

  /** One page of your tenant's secrets by name: names and times, never values. */
  async listSecrets(pageSize = 0, pageToken = ""): Promise<ListSecretsResponse> {
    return this.secrets.listSecrets({ pageSize, pageToken }, { timeoutMs: this.timeoutMs });
  }

  /** Every secret of your tenant, by name, fetching pages as needed. */
  async *iterSecrets(pageSize = 0): AsyncGenerator<Secret, void, undefined> {
    let pageToken = "";
    do {
      const page = await this.listSecrets(pageSize, pageToken);
      yield* page.secrets;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** Delete a secret (admin scope); a `ConnectError` with `Code.NotFound` when there is none. */
  async deleteSecret(name: string): Promise<void> {
    await this.secrets.deleteSecret({ name }, { timeoutMs: this.timeoutMs });
  }

  /** A file's metadata and whole content. */
  async download(fileId: string): Promise<{ file: File | undefined; data: Uint8Array }> {
    const chunks: Uint8Array[] = [];
    let file: File | undefined;
    for await (const chunk of this.files.downloadFile({ fileId })) {
      file ??= chunk.file;
      chunks.push(chunk.data);
    }
    return { file, data: Buffer.concat(chunks) };
  }

  /** Stream a file's content into `path` (created or truncated); its metadata. */
  async downloadToFile(fileId: string, path: string): Promise<File | undefined> {
    const out = createWriteStream(path);
    let file: File | undefined;
    try {
      for await (const chunk of this.files.downloadFile({ fileId })) {
        file ??= chunk.file;
        if (!out.write(chunk.data)) await once(out, "drain");
      }
    } finally {
      out.end();
      await finished(out);
    }
    return file;
  }
}
