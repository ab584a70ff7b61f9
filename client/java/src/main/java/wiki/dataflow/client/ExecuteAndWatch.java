package wiki.dataflow.client;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import wiki.dataflow.v1.ExecuteAndWatchRequest;
import wiki.dataflow.v1.ExecuteAndWatchResponse;
import wiki.dataflow.v1.ExecuteWorkflowResponse;
import wiki.dataflow.v1.ExecutionEvent;

/**
 * The events of an execution started by {@link DataflowClient#executeAndWatch}, from the first
 * (sequence 1) to the terminal one, as an iterator that ends after the terminal event. Close it to
 * stop watching early (the execution goes on).
 *
 * <p>When the stream breaks with UNAVAILABLE or RESOURCE_EXHAUSTED before the execution was named,
 * the call is repeated with the same request id (0.2 s to 5 s apart; a repeat streams the same
 * execution, never a second one); after it, the events go on with {@link DataflowClient#watch}
 * from the last sequence seen, without gap or duplicate. A refused request (e.g. INVALID_ARGUMENT)
 * throws its {@link StatusRuntimeException} from {@link #hasNext()}.
 */
public final class ExecuteAndWatch implements Iterator<ExecutionEvent>, AutoCloseable {
  private final DataflowClient client;
  private final ExecuteAndWatchRequest request;
  private final int maxRetries;
  private ExecuteWorkflowResponse started;
  private int lastSequence;
  private int failures;
  private long backoffMillis = 200;
  private boolean terminal;
  private boolean done;
  private Context.CancellableContext context;
  private Iterator<ExecuteAndWatchResponse> stream;
  // The rest of the last message's batch, handed over before the next message is read.
  private Iterator<ExecutionEvent> batch = Collections.emptyIterator();
  // The watch that goes on after a break past the start.
  private DataflowClient.Watch resumed;
  private ExecutionEvent next;

  ExecuteAndWatch(DataflowClient client, ExecuteAndWatchRequest request, int maxRetries) {
    this.client = client;
    this.request = request;
    this.maxRetries = maxRetries;
  }

  /** The accepted execution (its id), once the first message has arrived. */
  public Optional<ExecuteWorkflowResponse> started() {
    return Optional.ofNullable(started);
  }

  /** The last sequence seen. */
  public int lastSequence() {
    return lastSequence;
  }

  @Override
  public boolean hasNext() {
    while (next == null && !done) {
      if (resumed != null) {
        nextResumed();
        continue;
      }
      try {
        if (batch.hasNext()) {
          ExecutionEvent event = batch.next();
          lastSequence = Math.max(lastSequence, event.getSequence());
          terminal = DataflowClient.TERMINAL_EVENT_TYPES.contains(event.getType());
          next = event;
          continue;
        }
        if (stream == null) {
          open();
        }
        if (stream.hasNext()) {
          ExecuteAndWatchResponse reply = stream.next();
          if (started == null && reply.hasStarted()) {
            started = reply.getStarted();
          }
          batch = reply.getEventsList().iterator();
        } else {
          close(); // the server ends the stream after the terminal event
        }
      } catch (StatusRuntimeException e) {
        broken(e);
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
    if (resumed != null) {
      resumed.close();
    }
  }

  private void nextResumed() {
    try {
      if (resumed.hasNext()) {
        next = resumed.next();
      } else {
        close();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Repeat the call before the start, resume by watch after it, or throw. */
  private void broken(StatusRuntimeException e) {
    closeStream();
    Status.Code code = e.getStatus().getCode();
    if (terminal) {
      close();
    } else if ((code != Status.Code.UNAVAILABLE && code != Status.Code.RESOURCE_EXHAUSTED)
        || failures >= maxRetries) {
      close();
      throw e;
    } else if (started != null) {
      resumed =
          client.watch(
              started.getWorkflowExecutionId(),
              lastSequence,
              request.getEventTypesList(),
              maxRetries);
    } else {
      failures++;
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        close();
        throw Status.CANCELLED.withCause(interrupted).asRuntimeException();
      }
      backoffMillis = Math.min(backoffMillis * 2, 5000);
    }
  }

  private void open() {
    context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      stream = client.executions().executeAndWatch(request);
    } finally {
      context.detach(previous);
    }
  }

  private void closeStream() {
    if (context != null) {
      context.cancel(null);
      context = null;
    }
    stream = null;
  }
}
