// Command run-workflows runs workflows to their outcome, one a line of JSON
// on stdin: {"workflow_id": "wf-...", "inputs": {...}, "wait_ms": 500,
// "request_id": "..."} (all but workflow_id optional; "execute": true calls
// Execute with that wait instead of Run; "watch": true calls ExecuteAndWatch,
// with "event_types": [...] if given). It prints one JSON line each:
// {"execution": ...} (the final execution, whatever its status),
// {"response": ...} (Execute), {"execution_id": "we-...", "events": [...]}
// (ExecuteAndWatch), or {"error": {"code": "InvalidArgument",
// "message": ...}} when refused.
//
//	echo '{"workflow_id": "wf-..."}' | DATAFLOW_ADDRESS=127.0.0.1:50051 go run ./cmd/run-workflows
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/dataflow/dataflow/client/go/dataflow"
	dataflowv1 "github.com/dataflow/dataflow/client/go/dataflow/v1"
)

type job struct {
	WorkflowID string         `json:"workflow_id"`
	Inputs     map[string]any `json:"inputs"`
	WaitMS     float64        `json:"wait_ms"`
	RequestID  string         `json:"request_id"`
	Execute    bool           `json:"execute"`
	Watch      bool           `json:"watch"`
	EventTypes []string       `json:"event_types"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	client, err := dataflow.Dial("")
	if err != nil {
		return err
	}
	defer client.Close()
	lines := bufio.NewScanner(os.Stdin)
	lines.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for lines.Scan() {
		if strings.TrimSpace(lines.Text()) == "" {
			continue
		}
		var j job
		if err := json.Unmarshal(lines.Bytes(), &j); err != nil {
			return fmt.Errorf("job %q: %w", lines.Text(), err)
		}
		result, err := perform(client, j)
		if err != nil {
			return err
		}
		fmt.Println(string(result))
	}
	return lines.Err()
}

// perform runs one job; its JSON line, or an error that is not the server's refusal.
func perform(client *dataflow.Client, j job) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opts := dataflow.ExecuteOptions{
		RequestID: j.RequestID,
		Wait:      time.Duration(j.WaitMS * float64(time.Millisecond)),
	}
	if j.Watch {
		return executeAndWatch(ctx, client, j)
	}
	var key string
	var message proto.Message
	var err error
	if j.Execute {
		key = "response"
		message, err = client.Execute(ctx, j.WorkflowID, j.Inputs, opts)
	} else {
		key = "execution"
		message, err = client.Run(ctx, j.WorkflowID, j.Inputs, opts)
	}
	if err != nil {
		return refused(err)
	}
	body, err := protojson.Marshal(message)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]json.RawMessage{key: body})
}

// executeAndWatch collects the events of one ExecuteAndWatch job.
func executeAndWatch(ctx context.Context, client *dataflow.Client, j job) ([]byte, error) {
	executionID := ""
	events := []json.RawMessage{}
	opts := dataflow.ExecuteAndWatchOptions{
		RequestID:  j.RequestID,
		EventTypes: j.EventTypes,
		OnStarted: func(started *dataflowv1.ExecuteWorkflowResponse) {
			executionID = started.GetWorkflowExecutionId()
		},
	}
	for event, err := range client.ExecuteAndWatch(ctx, j.WorkflowID, j.Inputs, opts) {
		if err != nil {
			return refused(err)
		}
		body, err := protojson.Marshal(event)
		if err != nil {
			return nil, err
		}
		events = append(events, body)
	}
	return json.Marshal(map[string]any{"execution_id": executionID, "events": events})
}

// refused is the JSON line of the server's refusal, or err when it is not one.
func refused(err error) ([]byte, error) {
	refusal, ok := status.FromError(err)
	if !ok {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"error": map[string]string{"code": refusal.Code().String(), "message": refusal.Message()},
	})
}
