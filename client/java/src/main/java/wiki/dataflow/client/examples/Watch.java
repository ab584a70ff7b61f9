package wiki.dataflow.client.examples;

import java.util.List;
import wiki.dataflow.client.DataflowClient;
import wiki.dataflow.v1.ExecutionEvent;

/**
 * Print every event of one execution, from the start (or after the sequence given as second
 * argument) until its terminal event, one line each: {@code event <sequence>: <type>}. Exits 1
 * when the watch fails.
 *
 * <pre>
 * DATAFLOW_ADDRESS=127.0.0.1:50051 java -cp ... wiki.dataflow.client.examples.Watch we-... [after]
 * </pre>
 */
public final class Watch {
  private Watch() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: Watch <execution-id> [after-sequence]");
      System.exit(2);
    }
    int after = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    try (DataflowClient client = new DataflowClient(null);
        DataflowClient.Watch events = client.watch(args[0], after, List.of(), 8)) {
      while (events.hasNext()) {
        ExecutionEvent event = events.next();
        System.out.printf("event %d: %s%n", event.getSequence(), event.getType());
      }
    } catch (RuntimeException e) {
      System.err.println("error: " + e);
      System.exit(1);
    }
  }
}
