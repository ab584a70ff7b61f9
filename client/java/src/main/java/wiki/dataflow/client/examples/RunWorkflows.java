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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import wiki.dataflow.client.DataflowClient;
import wiki.dataflow.client.ExecuteAndWatch;
import wiki.dataflow.client.ExecuteOptions;

/**
 * Run workflows to their outcome, one a line of JSON on stdin: {@code {"workflow_id": "wf-...",
 * "inputs": {...}, "wait_ms": 500, "request_id": "..."}} (all but {@code workflow_id} optional;
 * {@code "execute": true} calls {@code execute} with that wait instead of {@code run}; {@code
 * "watch": true} calls {@code executeAndWatch}, with {@code "event_types": [...]} if given). Prints
 * one JSON line each: {@code {"execution": ...}} (the final execution, whatever its status),
 * {@code {"response": ...}} (execute), {@code {"execution_id": "we-...", "events": [...]}}
 * (executeAndWatch), or {@code {"error": {"code": "INVALID_ARGUMENT", "message": ...}}}
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
      if (job.getOrDefault("watch", Value.getDefaultInstance()).getBoolValue()) {
        return executeAndWatch(client, workflowId, inputs, options, job);
      }
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

  /** The events of one executeAndWatch job, in order, and the execution's id. */
  private static String executeAndWatch(
      DataflowClient client,
      String workflowId,
      Map<String, Value> inputs,
      ExecuteOptions options,
      Map<String, Value> job)
      throws InvalidProtocolBufferException {
    List<String> eventTypes = new ArrayList<>();
    for (Value type :
        job.getOrDefault("event_types", Value.getDefaultInstance()).getListValue().getValuesList()) {
      eventTypes.add(type.getStringValue());
    }
    List<String> events = new ArrayList<>();
    try (ExecuteAndWatch stream =
        client.executeAndWatch(workflowId, inputs, options, eventTypes)) {
      while (stream.hasNext()) {
        events.add(JSON.print(stream.next()));
      }
      String executionId = stream.started().map(s -> s.getWorkflowExecutionId()).orElse("");
      return "{\"execution_id\":\""
          + executionId
          + "\",\"events\":["
          + String.join(",", events)
          + "]}";
    }
  }

  private static String wrap(String key, MessageOrBuilder message)
      throws InvalidProtocolBufferException {
    return "{\"" + key + "\":" + JSON.print(message) + "}";
  }
}
