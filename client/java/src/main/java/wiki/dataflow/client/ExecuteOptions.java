package wiki.dataflow.client;

import java.time.Duration;

/**
 * Options of {@link DataflowClient#execute(String, java.util.Map, ExecuteOptions)} and {@link
 * DataflowClient#run(String, java.util.Map, ExecuteOptions)}: start from {@link #none()}.
 *
 * @param requestId an idempotency key: a repeat of the same request with it returns the original
 *     execution instead of starting another (a different request with it: ALREADY_EXISTS); empty
 *     for none ({@code run} then sends a random one)
 * @param webhook a URL the server posts the execution's events to; empty for none
 * @param waitTime how long the server waits for the execution to end before answering (at most
 *     {@link DataflowClient#MAX_WAIT}); null or zero for none ({@code run}: {@link
 *     DataflowClient#MAX_WAIT})
 */
public record ExecuteOptions(String requestId, String webhook, Duration waitTime) {
  public ExecuteOptions {
    requestId = requestId == null ? "" : requestId;
    webhook = webhook == null ? "" : webhook;
  }

  /** No request id, no webhook, no wait. */
  public static ExecuteOptions none() {
    return new ExecuteOptions("", "", null);
  }

  public ExecuteOptions withRequestId(String requestId) {
    return new ExecuteOptions(requestId, webhook, waitTime);
  }

  public ExecuteOptions withWebhook(String webhook) {
    return new ExecuteOptions(requestId, webhook, waitTime);
  }

  public ExecuteOptions withWait(Duration waitTime) {
    return new ExecuteOptions(requestId, webhook, waitTime);
  }

  /** Whether a wait is set (non-null, not zero). */
  boolean waits() {
    return waitTime != null && !waitTime.isZero();
  }
}
