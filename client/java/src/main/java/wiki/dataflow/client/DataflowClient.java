package wiki.dataflow.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import wiki.dataflow.v1.CreateWorkflowRequest;
import wiki.dataflow.v1.CreateWorkflowResponse;
import wiki.dataflow.v1.DeleteSecretRequest;
import wiki.dataflow.v1.DownloadFileRequest;
import wiki.dataflow.v1.DownloadFileResponse;
import wiki.dataflow.v1.ExecuteAndWatchRequest;
import wiki.dataflow.v1.ExecuteWorkflowRequest;
import wiki.dataflow.v1.ExecuteWorkflowResponse;
import wiki.dataflow.v1.Execution;
import wiki.dataflow.v1.ExecutionEvent;
import wiki.dataflow.v1.ExecutionServiceGrpc;
import wiki.dataflow.v1.File;
import wiki.dataflow.v1.FileServiceGrpc;
import wiki.dataflow.v1.GetExecutionRequest;
import wiki.dataflow.v1.ListSecretsRequest;
import wiki.dataflow.v1.ListSecretsResponse;
import wiki.dataflow.v1.Monitoring;
import wiki.dataflow.v1.Secret;
import wiki.dataflow.v1.SecretServiceGrpc;
import wiki.dataflow.v1.SetSecretRequest;
import wiki.dataflow.v1.WatchExecutionRequest;
import wiki.dataflow.v1.WatchExecutionResponse;
import wiki.dataflow.v1.Workflow;
import wiki.dataflow.v1.WorkflowServiceGrpc;

/**
 * A small facade over the generated {@code dataflow.v1} grpc-java stubs: create a workflow,
 * execute it, watch its events, download its files.
 *
 * <pre>{@code
 * // $DATAFLOW_ADDRESS or 127.0.0.1:50051; $DATAFLOW_API_KEY and $DATAFLOW_CA_FILE (see Connection)
 * try (DataflowClient client = new DataflowClient(null)) {
 *   String wf = client.createWorkflow(DataflowClient.parseWorkflow(json)).getWorkflowId();
 *   Execution done = client.run(wf, Map.of("text", "Hello")); // COMPLETED, FAILED or CANCELLED
 *   String ex = client.execute(wf, Map.of("text", "Hello")).getWorkflowExecutionId();
 *   try (DataflowClient.Watch events = client.watch(ex)) {
 *     events.forEachRemaining(e -> System.out.println(e.getType()));
 *   }
 * }
 * }</pre>
 *
 * <p>The blocking stubs ({@link #workflows()}, {@link #executions()}, {@link #files()}, {@link
 * #secrets()}) are public
 * for every call the facade does not wrap.
 */
public final class DataflowClient implements AutoCloseable {
  /** The largest message the client accepts: the server's limit. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** The environment variable naming the server address. */
  public static final String ADDRESS_ENV = "DATAFLOW_ADDRESS";
  /** Dialled when neither an argument nor {@code $DATAFLOW_ADDRESS} gives an address. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:50051";
  /** Event types after which an execution is terminal. */
  public static final Set<String> TERMINAL_EVENT_TYPES =
      Set.of("execution.completed", "execution.failed", "execution.cancelled");
  /** The longest ExecuteWorkflow wait the server accepts; {@code run} waits this long by default. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);
  /** How many times in a row {@code run} repeats its ExecuteWorkflow after UNAVAILABLE. */
  public static final int RUN_RETRIES = 8;
  /** How long past its wait an ExecuteWorkflow call may take to answer: its deadline is both. */
  public static final Duration WAIT_ANSWER_SLACK = Duration.ofSeconds(10);

  private final String address;
  private final ManagedChannel channel;
  private final long timeoutSeconds;
  private final WorkflowServiceGrpc.WorkflowServiceBlockingStub workflows;
  private final ExecutionServiceGrpc.ExecutionServiceBlockingStub executions;
  private final FileServiceGrpc.FileServiceBlockingStub files;
  private final SecretServiceGrpc.SecretServiceBlockingStub secrets;

  /**
   * A connection to {@code address} (see {@link #resolveAddress}) as the environment says
   * ({@link Connection#fromEnv()}: an API key, TLS), with 30 s deadlines.
   */
  public DataflowClient(String address) {
    this(address, 30);
  }

  /** As {@link #DataflowClient(String)}, with this deadline in seconds for unary calls. */
  public DataflowClient(String address, long timeoutSeconds) {
    this(Connection.fromEnv().withAddress(address), timeoutSeconds);
  }

  /**
   * A connection as {@code connection} says, with this deadline in seconds for unary calls.
   *
   * @throws java.io.UncheckedIOException when a TLS file cannot be read
   */
  public DataflowClient(Connection connection, long timeoutSeconds) {
    this.address = resolveAddress(connection.address());
    this.timeoutSeconds = timeoutSeconds;
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(this.address, connection.credentials())
            // Executions carry task outputs (up to the server's 64 MiB message limit).
            .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    connection.authorization().ifPresent(builder::intercept);
    this.channel = builder.build();
    this.workflows = WorkflowServiceGrpc.newBlockingStub(channel);
    this.executions = ExecutionServiceGrpc.newBlockingStub(channel);
    this.files = FileServiceGrpc.newBlockingStub(channel);
    this.secrets = SecretServiceGrpc.newBlockingStub(channel);
  }

  /** {@code address}, else {@code $DATAFLOW_ADDRESS}, else {@link #DEFAULT_ADDRESS}. */
  public static String resolveAddress(String address) {
    if (address != null && !address.isEmpty()) {
      return address;
    }
    String env = System.getenv(ADDRESS_ENV);
    return env != null && !env.isEmpty() ? env : DEFAULT_ADDRESS;
  }

  /** Whether an execution status is final (COMPLETED, FAILED or CANCELLED). */
  public static boolean isTerminal(Execution.Status status) {
    return status == Execution.Status.COMPLETED
        || status == Execution.Status.FAILED
        || status == Execution.Status.CANCELLED;
  }

  /**
   * A definition from its JSON form: the body of the Getting Started page (JSON names are
   * snake_case, e.g. {@code timeout_seconds}).
   */
  public static Workflow parseWorkflow(String json) throws InvalidProtocolBufferException {
    Workflow.Builder builder = Workflow.newBuilder();
    JsonFormat.parser().merge(json, builder);
    return builder.build();
  }

  /** The {@code file_id} of a file-typed value such as an execution output, if any. */
  public static Optional<String> fileId(Value value) {
    if (value == null || !value.hasStructValue()) {
      return Optional.empty();
    }
    Value id = value.getStructValue().getFieldsOrDefault("file_id", Value.getDefaultInstance());
    return id.hasStringValue() && !id.getStringValue().isEmpty()
        ? Optional.of(id.getStringValue())
        : Optional.empty();
  }

  /**
   * A JSON-like Java value as a {@code google.protobuf.Value}: null, Boolean, Number, String,
   * Map with String keys, List.
   */
  public static Value toValue(Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    } else if (value instanceof Value v) {
      return v;
    } else if (value instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    } else if (value instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    } else if (value instanceof CharSequence s) {
      return Value.newBuilder().setStringValue(s.toString()).build();
    } else if (value instanceof Map<?, ?> m) {
      return Value.newBuilder().setStructValue(toStruct(m)).build();
    } else if (value instanceof List<?> l) {
      ListValue.Builder list = ListValue.newBuilder();
      l.forEach(item -> list.addValues(toValue(item)));
      return Value.newBuilder().setListValue(list).build();
    }
    throw new IllegalArgumentException("not a JSON-like value: " + value.getClass().getName());
  }

  /** A map with String keys and JSON-like values as a {@code google.protobuf.Struct}. */
  public static Struct toStruct(Map<?, ?> map) {
    Struct.Builder struct = Struct.newBuilder();
    map.forEach((k, v) -> struct.putFields(String.valueOf(k), toValue(v)));
    return struct.build();
  }

  public String address() {
    return address;
  }

  public WorkflowServiceGrpc.WorkflowServiceBlockingStub workflows() {
    return workflows;
  }

  public ExecutionServiceGrpc.ExecutionServiceBlockingStub executions() {
    return executions;
  }

  public FileServiceGrpc.FileServiceBlockingStub files() {
    return files;
  }

  public SecretServiceGrpc.SecretServiceBlockingStub secrets() {
    return secrets;
  }

  /** Validate a definition and store it as version 1 (it is not run). */
  public CreateWorkflowResponse createWorkflow(Workflow workflow) {
    return workflows
        .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
        .createWorkflow(CreateWorkflowRequest.newBuilder().setWorkflow(workflow).build());
  }

  /** Queue an execution of the workflow's latest version with these inputs. */
  public ExecuteWorkflowResponse execute(String workflowId, Map<String, ?> inputs) {
    return execute(workflowId, inputs, ExecuteOptions.none());
  }

  /**
   * Queue an execution as {@code options} say. With a wait, the server answers once the execution
   * has ended (or the wait ran out), with it in {@code execution}; the call's deadline is then the
   * wait plus {@link #WAIT_ANSWER_SLACK} (or the current {@link Context}'s, when earlier).
   */
  public ExecuteWorkflowResponse execute(
      String workflowId, Map<String, ?> inputs, ExecuteOptions options) {
    ExecuteWorkflowRequest.Builder request =
        ExecuteWorkflowRequest.newBuilder()
            .setWorkflowId(workflowId)
            .setInputs(toStruct(inputs))
            .setRequestId(options.requestId());
    if (!options.webhook().isEmpty()) {
      request.setMonitoring(Monitoring.newBuilder().setWebhook(options.webhook()));
    }
    long deadlineMillis = TimeUnit.SECONDS.toMillis(timeoutSeconds);
    if (options.waits()) {
      request.setWait(Durations.fromNanos(options.waitTime().toNanos()));
      Duration wait = options.waitTime().isNegative() ? Duration.ZERO : options.waitTime();
      deadlineMillis = wait.plus(WAIT_ANSWER_SLACK).toMillis();
    }
    return executions
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
        .executeWorkflow(request.build());
  }

  /** {@link #run(String, Map, ExecuteOptions)} with a random request id and a wait of a minute. */
  public Execution run(String workflowId, Map<String, ?> inputs) {
    return run(workflowId, inputs, ExecuteOptions.none());
  }

  /**
   * Execute the workflow and return the execution once it has ended: COMPLETED, FAILED (with its
   * error) or CANCELLED are outcomes, not exceptions; a {@link StatusRuntimeException} means the
   * request was refused (e.g. INVALID_ARGUMENT) or the run could not follow the execution.
   *
   * <p>One call when the execution ends within the wait ({@code options.waitTime()}: when unset or
   * more than {@link #MAX_WAIT}, {@link #MAX_WAIT}; never past the current {@link Context}'s
   * deadline); past that, it follows the execution's terminal event with {@link #watch} (resumed
   * as a watch is). The call carries a request id ({@code options.requestId()}, else a random
   * UUID) and is repeated after UNAVAILABLE (up to {@link #RUN_RETRIES} times, 0.2 s to 5 s apart)
   * with that id: a repeat returns the same execution, never a second one. To retry a run that
   * threw, pass your own request id both times.
   */
  public Execution run(String workflowId, Map<String, ?> inputs, ExecuteOptions options) {
    Duration wait = options.waits() ? options.waitTime() : MAX_WAIT;
    if (wait.compareTo(MAX_WAIT) > 0) {
      wait = MAX_WAIT;
    }
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null && !wait.isNegative()) {
      // The server answers a little before the deadline, with the execution as it stands.
      long left = Math.max(1, deadline.timeRemaining(TimeUnit.MILLISECONDS));
      wait = wait.compareTo(Duration.ofMillis(left)) > 0 ? Duration.ofMillis(left) : wait;
    }
    String requestId =
        options.requestId().isEmpty() ? UUID.randomUUID().toString() : options.requestId();
    ExecuteWorkflowResponse started =
        executeRetried(workflowId, inputs, options.withRequestId(requestId).withWait(wait));
    if (started.hasExecution() && isTerminal(started.getExecution().getStatus())) {
      return started.getExecution();
    }
    String executionId = started.getWorkflowExecutionId();
    try (Watch events = watch(executionId, 0, List.copyOf(TERMINAL_EVENT_TYPES), 8)) {
      while (events.hasNext()) {
        ExecutionEvent event = events.next();
        if (TERMINAL_EVENT_TYPES.contains(event.getType()) && event.hasExecution()) {
          return event.getExecution();
        }
      }
    }
    return getExecution(executionId);
  }

  /**
   * {@link #execute}, repeated after UNAVAILABLE up to {@link #RUN_RETRIES} times: with the same
   * request id, so a request whose answer was lost is not run twice.
   */
  private ExecuteWorkflowResponse executeRetried(
      String workflowId, Map<String, ?> inputs, ExecuteOptions options) {
    long backoffMillis = 200;
    for (int retries = 0; ; retries++) {
      try {
        return execute(workflowId, inputs, options);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || retries >= RUN_RETRIES) {
          throw e;
        }
      }
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withCause(e).asRuntimeException();
      }
      backoffMillis = Math.min(backoffMillis * 2, 5000);
    }
  }

  /** {@link #executeAndWatch(String, Map, ExecuteOptions, List)}: a random request id, every event. */
  public ExecuteAndWatch executeAndWatch(String workflowId, Map<String, ?> inputs) {
    return executeAndWatch(workflowId, inputs, ExecuteOptions.none(), List.of());
  }

  /**
   * Execute the workflow and follow its events from the first to the terminal one in one call
   * (ExecuteAndWatch), of {@code eventTypes} only (all when empty; the events still end when the
   * execution is terminal). The call carries a request id ({@code options.requestId()}, else a
   * random UUID) and {@code options.webhook()}; the wait is not used. See {@link ExecuteAndWatch}
   * for how a broken stream is repeated (up to {@link #RUN_RETRIES} times) or resumed.
   */
  public ExecuteAndWatch executeAndWatch(
      String workflowId, Map<String, ?> inputs, ExecuteOptions options, List<String> eventTypes) {
    String requestId =
        options.requestId().isEmpty() ? UUID.randomUUID().toString() : options.requestId();
    ExecuteAndWatchRequest.Builder request =
        ExecuteAndWatchRequest.newBuilder()
            .setWorkflowId(workflowId)
            .setInputs(toStruct(inputs))
            .setRequestId(requestId)
            .addAllEventTypes(eventTypes);
    if (!options.webhook().isEmpty()) {
      request.setMonitoring(Monitoring.newBuilder().setWebhook(options.webhook()));
    }
    return new ExecuteAndWatch(this, request.build(), RUN_RETRIES);
  }

  /** An execution with its tasks, outputs and error. */
  public Execution getExecution(String executionId) {
    return executions
        .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
        .getExecution(GetExecutionRequest.newBuilder().setWorkflowExecutionId(executionId).build())
        .getExecution();
  }

  /** Follow every event of an execution from the start until its terminal event. */
  public Watch watch(String executionId) {
    return new Watch(executionId, 0, List.of(), 8);
  }

  /**
   * Follow an execution's events after {@code afterSequence}, of {@code eventTypes} only (all when
   * empty), until its terminal event; a stream broken by UNAVAILABLE is resumed up to {@code
   * maxResumes} times in a row from the last sequence seen.
   */
  public Watch watch(
      String executionId, int afterSequence, List<String> eventTypes, int maxResumes) {
    return new Watch(executionId, afterSequence, eventTypes, maxResumes);
  }

  /**
   * Create the secret {@code name} of your tenant, or replace its value (admin scope). Task inputs
   * that accept secrets reference it as {@code {{secrets.NAME}}}; the value is write-only: no call
   * returns it.
   */
  public Secret setSecret(String name, String value) {
    return secrets
        .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
        .setSecret(SetSecretRequest.newBuilder().setName(name).setValue(value).build())
        .getSecret();
  }

  /** Every secret of your tenant, by name (names and times, never values), all pages. */
  public List<Secret> listSecrets() {
    List<Secret> all = new ArrayList<>();
    String token = "";
    do {
      ListSecretsResponse page =
          secrets
              .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
              .listSecrets(ListSecretsRequest.newBuilder().setPageToken(token).build());
      all.addAll(page.getSecretsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }

  /** Delete a secret (admin scope); NOT_FOUND when there is none. */
  public void deleteSecret(String name) {
    secrets
        .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
        .deleteSecret(DeleteSecretRequest.newBuilder().setName(name).build());
  }

  /** Stream a file's content into {@code out}; returns its metadata. */
  public File download(String fileId, OutputStream out) throws IOException {
    Context.CancellableContext context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      File meta = null;
      Iterator<DownloadFileResponse> chunks =
          files.downloadFile(DownloadFileRequest.newBuilder().setFileId(fileId).build());
      while (chunks.hasNext()) {
        DownloadFileResponse chunk = chunks.next();
        if (chunk.hasFile()) {
          meta = chunk.getFile();
        }
        chunk.getData().writeTo(out);
      }
      return meta;
    } finally {
      context.detach(previous);
      context.cancel(null);
    }
  }

  /** Download a file into {@code path} (created or truncated); returns its metadata. */
  public File downloadToFile(String fileId, Path path) throws IOException {
    try (OutputStream out = Files.newOutputStream(path)) {
      return download(fileId, out);
    }
  }

  /** Close the channel and wait (up to 5 s) for calls in flight to end. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The events of an execution, as an iterator that ends after the terminal event. Close it to
   * stop watching early.
   */
  public final class Watch implements Iterator<ExecutionEvent>, AutoCloseable {
    private final String executionId;
    private final List<String> eventTypes;
    private final int maxResumes;
    private int lastSequence;
    private int failures;
    private long backoffMillis = 200;
    private boolean terminal;
    private boolean done;
    private Context.CancellableContext context;
    private Iterator<WatchExecutionResponse> stream;
    // The rest of the last message's batch, handed over before the next message is read.
    private Iterator<ExecutionEvent> batch = Collections.emptyIterator();
    private ExecutionEvent next;

    private Watch(String executionId, int afterSequence, List<String> eventTypes, int maxResumes) {
      this.executionId = executionId;
      this.lastSequence = afterSequence;
      this.eventTypes = List.copyOf(eventTypes);
      this.maxResumes = maxResumes;
    }

    /** The last sequence seen (pass it as {@code afterSequence} to resume later). */
    public int lastSequence() {
      return lastSequence;
    }

    @Override
    public boolean hasNext() {
      while (next == null && !done) {
        try {
          if (batch.hasNext()) {
            // Seen once handed over, so a resume starts right after it.
            ExecutionEvent event = batch.next();
            lastSequence = Math.max(lastSequence, event.getSequence());
            terminal = TERMINAL_EVENT_TYPES.contains(event.getType());
            failures = 0;
            backoffMillis = 200;
            next = event;
            continue;
          }
          if (stream == null) {
            open();
          }
          if (stream.hasNext()) {
            batch = eventsOf(stream.next());
          } else {
            close(); // the server ends the stream after the terminal event
          }
        } catch (StatusRuntimeException e) {
          closeStream();
          if (terminal) {
            close();
          } else if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || failures >= maxResumes) {
            close();
            throw e;
          } else {
            failures++;
            sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 5000);
          }
        }
      }
      return next != null;
    }

    @Override
    public ExecutionEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ExecutionEvent event = next;
      next = null;
      return event;
    }

    /** Stop watching (cancels the stream); idempotent. */
    @Override
    public void close() {
      done = true;
      closeStream();
    }

    private void open() {
      context = Context.current().withCancellation();
      Context previous = context.attach();
      try {
        stream =
            executions.watchExecution(
                WatchExecutionRequest.newBuilder()
                    .setWorkflowExecutionId(executionId)
                    .setAfterSequence(lastSequence)
                    .addAllEventTypes(eventTypes)
                    .setBatchEvents(true)
                    .build());
      } finally {
        context.detach(previous);
      }
    }

    /** A message's batch ({@code events}), or the one {@code event} of an older server. */
    private static Iterator<ExecutionEvent> eventsOf(WatchExecutionResponse reply) {
      if (reply.getEventsCount() > 0) {
        return reply.getEventsList().iterator();
      }
      return reply.hasEvent()
          ? List.of(reply.getEvent()).iterator()
          : Collections.<ExecutionEvent>emptyIterator();
    }

    private void closeStream() {
      if (context != null) {
        context.cancel(null);
        context = null;
      }
      stream = null;
    }

    private void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw Status.CANCELLED.withCause(e).asRuntimeException();
      }
    }
  }
}
