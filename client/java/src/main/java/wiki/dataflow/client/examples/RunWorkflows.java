package wiki.dataflow.client.examples;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import wiki.dataflow.client.DataflowClient;
import wiki.dataflow.client.ExecuteOptions;

/**
 * Run workflows to their outcome, one a line of JSON on stdin: {@code {"workflow_id": "wf-...",
 * "inputs": {...}, "wait_ms": 500, "request_id": "..."}} (all but {@code workflow_id} optional;
 * {@code "execute": true} calls {@code execute} with that wait instead of {@code run}). Prints one
 * JSON line each: {@code {"execution": ...}} (the final execution, whatever its status), {@code
 * {"response": ...}} (execute), or {@code {"error": {"code": "INVALID_ARGUMENT", "message": ...}}}
 * when refused.
 *
 * <pre>
 * echo '{"workflow_id": "wf-..."}' | java -cp ... wiki.dataflow.client.examples.RunWorkflows
 * </pre>
 */
public final class RunWorkflows {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private RunWorkflows() {}

  public static void main(String[] args) {
    try (DataflowClient client = new DataflowClient(null);
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isBlank()) {
          System.out.println(perform(client, line));
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("error: " + e);
      System.exit(1);
    }
  }

  /** One job's JSON line. */
  private static String perform(DataflowClient client, String line)
      throws InvalidProtocolBufferException {
    Struct.Builder parsed = Struct.newBuilder();
    JsonFormat.parser().merge(line, parsed);
    Map<String, Value> job = parsed.getFieldsMap();
    String workflowId = job.get("workflow_id").getStringValue();
    Map<String, Value> inputs =
        job.getOrDefault("inputs", Value.getDefaultInstance()).getStructValue().getFieldsMap();
    String requestId = job.getOrDefault("request_id", Value.getDefaultInstance()).getStringValue();
    ExecuteOptions options = ExecuteOptions.none().withRequestId(requestId);
    if (job.containsKey("wait_ms")) {
      options = options.withWait(Duration.ofMillis((long) job.get("wait_ms").getNumberValue()));
    }
    try {
      if (job.getOrDefault("execute", Value.getDefaultInstance()).getBoolValue()) {
        return wrap("response", client.execute(workflowId, inputs, options));
      }
      return wrap("execution", client.run(workflowId, inputs, options));
    } catch (StatusRuntimeException e) {
      Map<String, String> error =
          Map.of(
              "code", e.getStatus().getCode().name(),
              "message", String.valueOf(e.getStatus().getDescription()));
      return JSON.print(DataflowClient.toStruct(Map.of("error", error)));
    }
  }

  private static String wrap(String key, MessageOrBuilder message)
      throws InvalidProtocolBufferException {
    return "{\"" + key + "\":" + JSON.print(message) + "}";
  }
}
