// Command hello runs the Getting Started "Hello World" workflow against a
// Dataflow server: it creates the workflow, executes it with the text
// "Hello from Go", prints every event of the execution until its end,
// downloads the `audio` output and prints the final status. It exits 1
// unless the execution COMPLETED.
//
//	DATAFLOW_ADDRESS=127.0.0.1:50051 go run ./cmd/hello [audio-path]
//
// A server with keys and TLS (dataflow.Dial reads these variables):
//
//	DATAFLOW_API_KEY=dfk_... DATAFLOW_CA_FILE=ca.pem \
//	  DATAFLOW_ADDRESS=dataflow.example.com:50051 go run ./cmd/hello
//
// The audio is written to the path given as argument, else
// $DATAFLOW_AUDIO_OUT, else hello-go.mp3.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/dataflow/dataflow/client/go/dataflow"
	dataflowv1 "github.com/dataflow/dataflow/client/go/dataflow/v1"
)

// helloWorld is the request body of the Getting Started page, verbatim.
const helloWorld = `{
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
}`

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	out := os.Getenv("DATAFLOW_AUDIO_OUT")
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if out == "" {
		out = "hello-go.mp3"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	client, err := dataflow.Dial("")
	if err != nil {
		return err
	}
	defer client.Close()
	fmt.Println("server:", dataflow.Address(""))

	wf, err := dataflow.ParseWorkflow([]byte(helloWorld))
	if err != nil {
		return err
	}
	created, err := client.CreateWorkflow(ctx, wf)
	if err != nil {
		return fmt.Errorf("create workflow: %w", err)
	}
	fmt.Printf("workflow: %s (version %d)\n", created.GetWorkflowId(), created.GetWorkflowVersion())

	started, err := client.Execute(ctx, created.GetWorkflowId(), map[string]any{"text": "Hello from Go"})
	if err != nil {
		return fmt.Errorf("execute workflow: %w", err)
	}
	executionID := started.GetWorkflowExecutionId()
	fmt.Printf("execution: %s (%s)\n", executionID, started.GetStatus())

	var final *dataflowv1.Execution
	for event, err := range client.Watch(ctx, executionID) {
		if err != nil {
			return fmt.Errorf("watch execution: %w", err)
		}
		fmt.Println(describe(event))
		if event.GetExecution() != nil {
			final = event.GetExecution()
		}
	}
	if !dataflow.Terminal(final.GetStatus()) {
		if final, err = client.GetExecution(ctx, executionID); err != nil {
			return fmt.Errorf("get execution: %w", err)
		}
	}

	if final.GetStatus() == dataflowv1.Execution_COMPLETED {
		fileID, ok := dataflow.FileID(final.GetOutputs().GetFields()["audio"])
		if !ok {
			return fmt.Errorf("execution %s has no audio file output: %v", executionID, final.GetOutputs())
		}
		meta, err := client.DownloadToFile(ctx, fileID, out)
		if err != nil {
			return fmt.Errorf("download %s: %w", fileID, err)
		}
		fmt.Printf("audio: %s (%s, %s, %d bytes) -> %s\n",
			meta.GetFileId(), meta.GetName(), meta.GetContentType(), meta.GetSizeBytes(), out)
	} else if e := final.GetError(); e != nil {
		fmt.Printf("error: %s: %s\n", e.GetCode(), e.GetMessage())
	}
	fmt.Println("status:", final.GetStatus())
	if final.GetStatus() != dataflowv1.Execution_COMPLETED {
		os.Exit(1)
	}
	return nil
}

// describe renders one event on one line.
func describe(e *dataflowv1.ExecutionEvent) string {
	line := fmt.Sprintf("event %d: %s status=%s", e.GetSequence(), e.GetType(), e.GetStatus())
	if e.GetTaskName() != "" {
		line += fmt.Sprintf(" task=%s task_status=%s attempt=%d", e.GetTaskName(), e.GetTaskStatus(), e.GetAttempt())
	}
	if err := e.GetError(); err != nil {
		line += fmt.Sprintf(" error=%s: %s", err.GetCode(), err.GetMessage())
	}
	return line
}
