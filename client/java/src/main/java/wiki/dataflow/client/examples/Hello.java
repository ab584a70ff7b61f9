package wiki.dataflow.client.examples;

import java.nio.file.Path;
import java.util.Map;
import wiki.dataflow.client.DataflowClient;
import wiki.dataflow.v1.CreateWorkflowResponse;
import wiki.dataflow.v1.ExecuteWorkflowResponse;
import wiki.dataflow.v1.Execution;
import wiki.dataflow.v1.ExecutionEvent;
import wiki.dataflow.v1.File;

/**
 * The Getting Started "Hello World" against a Dataflow server: create the workflow, execute it
 * with the text "Hello from Java", print every event of the execution until its end, download the
 * {@code audio} output and print the final status. Exits 1 unless the execution COMPLETED.
 *
 * <p>The server address comes from {@code $DATAFLOW_ADDRESS} (default 127.0.0.1:50051); the audio
 * goes to the path given as argument, else {@code $DATAFLOW_AUDIO_OUT}, else hello-java.mp3. A
 * server with keys and TLS: the client reads them from the environment too,
 *
 * <pre>
 * DATAFLOW_API_KEY=dfk_... DATAFLOW_CA_FILE=ca.pem \
 *   DATAFLOW_ADDRESS=dataflow.example.com:50051 make example-java
 * </pre>
 */
public final class Hello {
  /** The request body of the Getting Started page, verbatim. */
  static final String HELLO_WORLD =
      """
      {
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
      }
      """;

  private Hello() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (Exception e) {
      System.err.println("error: " + e);
      code = 1;
    }
    System.exit(code);
  }

  static int run(String[] args) throws Exception {
    String out = args.length > 0 ? args[0] : System.getenv("DATAFLOW_AUDIO_OUT");
    if (out == null || out.isEmpty()) {
      out = "hello-java.mp3";
    }
    try (DataflowClient client = new DataflowClient(null)) {
      System.out.println("server: " + client.address());
      CreateWorkflowResponse created =
          client.createWorkflow(DataflowClient.parseWorkflow(HELLO_WORLD));
      System.out.printf(
          "workflow: %s (version %d)%n", created.getWorkflowId(), created.getWorkflowVersion());

      ExecuteWorkflowResponse started =
          client.execute(created.getWorkflowId(), Map.of("text", "Hello from Java"));
      String executionId = started.getWorkflowExecutionId();
      System.out.printf("execution: %s (%s)%n", executionId, started.getStatus());

      Execution last = null;
      try (DataflowClient.Watch events = client.watch(executionId)) {
        while (events.hasNext()) {
          ExecutionEvent event = events.next();
          System.out.println(describe(event));
          if (event.hasExecution()) {
            last = event.getExecution();
          }
        }
      }
      final Execution execution =
          last != null && DataflowClient.isTerminal(last.getStatus())
              ? last
              : client.getExecution(executionId);

      if (execution.getStatus() == Execution.Status.COMPLETED) {
        String fileId =
            DataflowClient.fileId(execution.getOutputs().getFieldsOrDefault("audio", null))
                .orElseThrow(
                    () -> new IllegalStateException("no audio file output: " + execution));
        File file = client.downloadToFile(fileId, Path.of(out));
        System.out.printf(
            "audio: %s (%s, %s, %d bytes) -> %s%n",
            file.getFileId(), file.getName(), file.getContentType(), file.getSizeBytes(), out);
      } else if (execution.hasError()) {
        System.out.printf(
            "error: %s: %s%n", execution.getError().getCode(), execution.getError().getMessage());
      }
      System.out.println("status: " + execution.getStatus());
      return execution.getStatus() == Execution.Status.COMPLETED ? 0 : 1;
    }
  }

  static String describe(ExecutionEvent e) {
    StringBuilder line =
        new StringBuilder(
            String.format("event %d: %s status=%s", e.getSequence(), e.getType(), e.getStatus()));
    if (!e.getTaskName().isEmpty()) {
      line.append(
          String.format(
              " task=%s task_status=%s attempt=%d",
              e.getTaskName(), e.getTaskStatus(), e.getAttempt()));
    }
    if (e.hasError()) {
      line.append(String.format(" error=%s: %s", e.getError().getCode(), e.getError().getMessage()));
    }
    return line.toString();
  }
}
