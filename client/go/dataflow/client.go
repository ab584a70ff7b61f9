// Package dataflow is a small facade over the generated dataflow.v1 gRPC
// stubs (package dataflowv1): create a workflow, execute it, watch its
// events, download its files.
//
//	c, err := dataflow.Dial("")          // $DATAFLOW_ADDRESS or 127.0.0.1:50051; key and TLS from the environment
//	defer c.Close()
//	wf, _ := dataflow.ParseWorkflow(body) // the Getting Started JSON
//	created, _ := c.CreateWorkflow(ctx, wf)
//	ex, _ := c.Execute(ctx, created.GetWorkflowId(), map[string]any{"text": "Hello"})
//	for event, err := range c.Watch(ctx, ex.GetWorkflowExecutionId()) { ... }
//
// Dial reads $DATAFLOW_API_KEY (sent as "authorization: Bearer <key>" with
// every call) and $DATAFLOW_CA_FILE (TLS; see Config for client certificates);
// DialConfig takes them from a Config instead.
//
// The generated clients are exported too (Workflows, Executions, Files, Secrets) for
// every call the facade does not wrap.
package dataflow

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"

	dataflowv1 "github.com/dataflow/dataflow/client/go/dataflow/v1"
)

// AddressEnv names the environment variable with the server address.
const AddressEnv = "DATAFLOW_ADDRESS"

// DefaultAddress is dialled when neither an argument nor $DATAFLOW_ADDRESS
// gives one.
const DefaultAddress = "127.0.0.1:50051"

// Address returns address, else $DATAFLOW_ADDRESS, else DefaultAddress.
func Address(address string) string {
	if address != "" {
		return address
	}
	if env := os.Getenv(AddressEnv); env != "" {
		return env
	}
	return DefaultAddress
}

// TerminalEventTypes are the event types after which an execution is
// terminal (the server ends a watch stream after the last of them).
var TerminalEventTypes = map[string]bool{
	"execution.completed": true,
	"execution.failed":    true,
	"execution.cancelled": true,
}

// Terminal reports whether an execution status is final (COMPLETED,
// FAILED or CANCELLED).
func Terminal(s dataflowv1.Execution_Status) bool {
	switch s {
	case dataflowv1.Execution_COMPLETED, dataflowv1.Execution_FAILED, dataflowv1.Execution_CANCELLED:
		return true
	}
	return false
}

// Client is a connection to a Dataflow server. It is safe for concurrent use.
type Client struct {
	conn       *grpc.ClientConn
	Workflows  dataflowv1.WorkflowServiceClient
	Executions dataflowv1.ExecutionServiceClient
	Files      dataflowv1.FileServiceClient
	Secrets    dataflowv1.SecretServiceClient
}

// MaxMessageBytes is the largest message the client accepts: the server's limit.
const MaxMessageBytes = 64 << 20

// Dial connects (lazily, as grpc.NewClient does) to address, resolved with
// Address, as the environment says (see ConfigFromEnv: an API key, TLS);
// opts come last and may replace the credentials.
func Dial(address string, opts ...grpc.DialOption) (*Client, error) {
	cfg := ConfigFromEnv()
	if address != "" {
		cfg.Address = address
	}
	return DialConfig(cfg, opts...)
}

// DialConfig connects as cfg says: plaintext HTTP/2 unless cfg asks for TLS,
// with cfg.APIKey sent on every call when set.
func DialConfig(cfg Config, opts ...grpc.DialOption) (*Client, error) {
	address := Address(cfg.Address)
	transport, err := cfg.transportCredentials()
	if err != nil {
		return nil, fmt.Errorf("dataflow: dial %s: %w", address, err)
	}
	all := []grpc.DialOption{
		grpc.WithTransportCredentials(transport),
		// Executions carry task outputs (up to the server's 64 MiB message limit).
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxMessageBytes)),
	}
	if cfg.APIKey != "" {
		all = append(all, grpc.WithPerRPCCredentials(bearer(cfg.APIKey)))
	}
	conn, err := grpc.NewClient(address, append(all, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("dataflow: dial %s: %w", address, err)
	}
	return &Client{
		conn:       conn,
		Workflows:  dataflowv1.NewWorkflowServiceClient(conn),
		Executions: dataflowv1.NewExecutionServiceClient(conn),
		Files:      dataflowv1.NewFileServiceClient(conn),
		Secrets:    dataflowv1.NewSecretServiceClient(conn),
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// ParseWorkflow reads a definition in its JSON form, the body of the Getting
// Started page (snake_case names such as "workflow_id" are the JSON names).
func ParseWorkflow(body []byte) (*dataflowv1.Workflow, error) {
	wf := &dataflowv1.Workflow{}
	if err := protojson.Unmarshal(body, wf); err != nil {
		return nil, fmt.Errorf("dataflow: workflow JSON: %w", err)
	}
	return wf, nil
}

// CreateWorkflow validates a definition and stores it as version 1.
func (c *Client) CreateWorkflow(ctx context.Context, wf *dataflowv1.Workflow) (*dataflowv1.CreateWorkflowResponse, error) {
	return c.Workflows.CreateWorkflow(ctx, &dataflowv1.CreateWorkflowRequest{Workflow: wf})
}

// MaxWait is the longest ExecuteWorkflow wait the server accepts; Run waits
// this long by default.
const MaxWait = 60 * time.Second

// WaitAnswerSlack is how long past its wait an ExecuteWorkflow call may take
// to answer: the call's deadline, unless ctx has an earlier one.
const WaitAnswerSlack = 10 * time.Second

// RunRetries is how many times in a row Run repeats its ExecuteWorkflow after
// UNAVAILABLE (about 20 s of backoff).
const RunRetries = 8

// ExecuteOptions tune Execute and Run; the zero value sends none of them
// (Run: see there).
type ExecuteOptions struct {
	// RequestID is an idempotency key: a repeat of the same request with it
	// returns the original execution instead of starting another (a
	// different request with it: ALREADY_EXISTS).
	RequestID string
	// Webhook is a URL the server posts the execution's events to.
	Webhook string
	// Wait is how long the server waits for the execution to end before
	// answering (at most MaxWait; 0: answer as soon as it is queued). The
	// response's Execution is then the outcome, or the execution as it
	// stands when the wait ran out.
	Wait time.Duration
}

// Execute queues an execution of the workflow's latest version with the
// given inputs (JSON-like values: string, float64, int, bool, nil,
// map[string]any, []any).
func (c *Client) Execute(ctx context.Context, workflowID string, inputs map[string]any, opts ...ExecuteOptions) (*dataflowv1.ExecuteWorkflowResponse, error) {
	var o ExecuteOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	values, err := structpb.NewStruct(inputs)
	if err != nil {
		return nil, fmt.Errorf("dataflow: inputs: %w", err)
	}
	request := &dataflowv1.ExecuteWorkflowRequest{
		WorkflowId: workflowID,
		Inputs:     values,
		RequestId:  o.RequestID,
	}
	if o.Webhook != "" {
		request.Monitoring = &dataflowv1.Monitoring{Webhook: o.Webhook}
	}
	if o.Wait != 0 {
		request.Wait = durationpb.New(o.Wait)
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, max(o.Wait, 0)+WaitAnswerSlack)
		defer cancel()
	}
	return c.Executions.ExecuteWorkflow(ctx, request)
}

// Run executes the workflow and returns the execution once it has ended:
// COMPLETED, FAILED (with its Error) or CANCELLED are outcomes, not errors;
// an error means the request was refused (e.g. INVALID_ARGUMENT) or the run
// could not follow the execution (ctx done, server gone).
//
// It is one call when the execution ends within the wait (opts' Wait: when 0
// or more than MaxWait, MaxWait; never past ctx's deadline); past that, it follows
// the execution's terminal event with Watch (resumed as Watch is). The call
// carries a request id (opts' RequestID, else a random one) and is repeated
// after UNAVAILABLE (up to RunRetries times, 0.2 s to 5 s apart) with that id:
// a repeat returns the same execution, never a second one. To retry a Run
// that returned an error, pass your own RequestID both times.
func (c *Client) Run(ctx context.Context, workflowID string, inputs map[string]any, opts ...ExecuteOptions) (*dataflowv1.Execution, error) {
	var o ExecuteOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Wait == 0 || o.Wait > MaxWait {
		o.Wait = MaxWait
	}
	if deadline, ok := ctx.Deadline(); ok && o.Wait > 0 {
		// The server answers a little before the deadline, with the execution as it stands.
		o.Wait = max(min(o.Wait, time.Until(deadline)), time.Millisecond)
	}
	if o.RequestID == "" {
		o.RequestID = rand.Text()
	}
	// The same request id each time: a request whose answer was lost is not run twice.
	started, err := c.Execute(ctx, workflowID, inputs, o)
	for retries, backoff := 0, 200*time.Millisecond; status.Code(err) == codes.Unavailable && retries < RunRetries; retries++ {
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		backoff = min(backoff*2, 5*time.Second)
		started, err = c.Execute(ctx, workflowID, inputs, o)
	}
	if err != nil {
		return nil, err
	}
	if execution := started.GetExecution(); execution != nil && Terminal(execution.GetStatus()) {
		return execution, nil
	}
	id := started.GetWorkflowExecutionId()
	terminalTypes := make([]string, 0, len(TerminalEventTypes))
	for eventType := range TerminalEventTypes {
		terminalTypes = append(terminalTypes, eventType)
	}
	for event, err := range c.Watch(ctx, id, WatchOptions{EventTypes: terminalTypes}) {
		if err != nil {
			return nil, err
		}
		if TerminalEventTypes[event.GetType()] && event.GetExecution() != nil {
			return event.GetExecution(), nil
		}
	}
	return c.GetExecution(ctx, id)
}

// GetExecution returns an execution with its tasks, outputs and error.
func (c *Client) GetExecution(ctx context.Context, executionID string) (*dataflowv1.Execution, error) {
	reply, err := c.Executions.GetExecution(ctx, &dataflowv1.GetExecutionRequest{WorkflowExecutionId: executionID})
	if err != nil {
		return nil, err
	}
	return reply.GetExecution(), nil
}

// WatchOptions tune Watch; the zero value follows every event from the start.
type WatchOptions struct {
	// AfterSequence skips the events up to and including this sequence.
	AfterSequence int32
	// EventTypes keeps only these event types (all when empty).
	EventTypes []string
	// MaxResumes bounds how many times in a row a stream broken with
	// UNAVAILABLE is resumed (after the last sequence seen); default 8 (about 20 s of backoff).
	MaxResumes int
}

// Watch follows an execution's events until its terminal event; the
// sequence ends then, or with one non-nil error. Break out of the loop (or
// cancel ctx) to stop early. A stream broken by an UNAVAILABLE server is
// resumed from the last sequence seen, without gap or duplicate.
func (c *Client) Watch(ctx context.Context, executionID string, opts ...WatchOptions) iter.Seq2[*dataflowv1.ExecutionEvent, error] {
	var o WatchOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.MaxResumes == 0 {
		o.MaxResumes = 8
	}
	return func(yield func(*dataflowv1.ExecutionEvent, error) bool) {
		last := o.AfterSequence
		failures := 0
		backoff := 200 * time.Millisecond
		for {
			streamCtx, cancel := context.WithCancel(ctx)
			stream, err := c.Executions.WatchExecution(streamCtx, &dataflowv1.WatchExecutionRequest{
				WorkflowExecutionId: executionID,
				AfterSequence:       last,
				EventTypes:          o.EventTypes,
				BatchEvents:         true,
			})
			terminal := false
			for err == nil {
				var reply *dataflowv1.WatchExecutionResponse
				reply, err = stream.Recv()
				if err != nil {
					break
				}
				// Each event is seen once handed over: the next message is
				// read after the whole batch.
				for _, event := range eventsOf(reply) {
					last = max(last, event.GetSequence())
					terminal = TerminalEventTypes[event.GetType()]
					failures, backoff = 0, 200*time.Millisecond
					if !yield(event, nil) {
						cancel()
						return
					}
				}
			}
			cancel()
			if errors.Is(err, io.EOF) {
				return // the server ends the stream after the terminal event
			}
			if status.Code(err) != codes.Unavailable || failures >= o.MaxResumes {
				if !terminal {
					yield(nil, err)
				}
				return
			}
			failures++
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				yield(nil, ctx.Err())
				return
			}
			backoff = min(backoff*2, 5*time.Second)
		}
	}
}

// ExecuteAndWatchOptions tune ExecuteAndWatch; the zero value sends a random
// request id and follows every event.
type ExecuteAndWatchOptions struct {
	// RequestID is the idempotency key, as in ExecuteOptions (default a
	// random one, so that a repeat after UNAVAILABLE cannot start a second
	// execution).
	RequestID string
	// Webhook is a URL the server posts the execution's events to.
	Webhook string
	// EventTypes keeps only these event types (all when empty); the events
	// still end when the execution is terminal.
	EventTypes []string
	// MaxResumes bounds how many times in a row a broken stream is repeated
	// (before the start) or resumed (after it); default RunRetries.
	MaxResumes int
	// OnStarted, if set, receives the accepted execution (its id) once,
	// before its first event.
	OnStarted func(*dataflowv1.ExecuteWorkflowResponse)
}

// ExecuteAndWatch executes the workflow and follows its events from the
// first (sequence 1) to the terminal one in one call; the sequence ends then,
// or with one non-nil error (a refusal such as INVALID_ARGUMENT, ctx done,
// server gone). Break out of the loop (or cancel ctx) to stop early; the
// execution goes on.
//
// The call carries a request id (opts' RequestID, else a random one). When
// the stream breaks with UNAVAILABLE or RESOURCE_EXHAUSTED before the
// execution was named, the call is repeated with that id (0.2 s to 5 s
// apart): a repeat streams the same execution, never a second one. After it,
// the events go on with Watch from the last sequence seen, without gap or
// duplicate.
func (c *Client) ExecuteAndWatch(ctx context.Context, workflowID string, inputs map[string]any, opts ...ExecuteAndWatchOptions) iter.Seq2[*dataflowv1.ExecutionEvent, error] {
	var o ExecuteAndWatchOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.RequestID == "" {
		o.RequestID = rand.Text()
	}
	if o.MaxResumes == 0 {
		o.MaxResumes = RunRetries
	}
	return func(yield func(*dataflowv1.ExecutionEvent, error) bool) {
		values, err := structpb.NewStruct(inputs)
		if err != nil {
			yield(nil, fmt.Errorf("dataflow: inputs: %w", err))
			return
		}
		request := &dataflowv1.ExecuteAndWatchRequest{
			WorkflowId: workflowID,
			Inputs:     values,
			RequestId:  o.RequestID,
			EventTypes: o.EventTypes,
		}
		if o.Webhook != "" {
			request.Monitoring = &dataflowv1.Monitoring{Webhook: o.Webhook}
		}
		executionID := ""
		var last int32
		backoff := 200 * time.Millisecond
		for failures := 0; ; failures++ {
			streamCtx, cancel := context.WithCancel(ctx)
			stream, err := c.Executions.ExecuteAndWatch(streamCtx, request)
			terminal := false
			for err == nil {
				var reply *dataflowv1.ExecuteAndWatchResponse
				reply, err = stream.Recv()
				if err != nil {
					break
				}
				if started := reply.GetStarted(); started != nil && executionID == "" {
					executionID = started.GetWorkflowExecutionId()
					if o.OnStarted != nil {
						o.OnStarted(started)
					}
				}
				for _, event := range reply.GetEvents() {
					last = max(last, event.GetSequence())
					terminal = TerminalEventTypes[event.GetType()]
					if !yield(event, nil) {
						cancel()
						return
					}
				}
			}
			cancel()
			if errors.Is(err, io.EOF) {
				return // the server ends the stream after the terminal event
			}
			code := status.Code(err)
			if terminal && ctx.Err() == nil {
				return
			}
			if (code != codes.Unavailable && code != codes.ResourceExhausted) || failures >= o.MaxResumes {
				yield(nil, err)
				return
			}
			if executionID != "" {
				break
			}
			// Not started yet: repeat with the same request id.
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				yield(nil, ctx.Err())
				return
			}
			backoff = min(backoff*2, 5*time.Second)
		}
		watch := WatchOptions{AfterSequence: last, EventTypes: o.EventTypes, MaxResumes: o.MaxResumes}
		for event, err := range c.Watch(ctx, executionID, watch) {
			if !yield(event, err) {
				return
			}
		}
	}
}

// eventsOf returns the events of one watch message: the batch in Events, or
// the one Event of a server older than that field.
func eventsOf(reply *dataflowv1.WatchExecutionResponse) []*dataflowv1.ExecutionEvent {
	if events := reply.GetEvents(); len(events) > 0 {
		return events
	}
	if event := reply.GetEvent(); event != nil {
		return []*dataflowv1.ExecutionEvent{event}
	}
	return nil
}

// Download streams a file's content into w and returns its metadata.
func (c *Client) Download(ctx context.Context, fileID string, w io.Writer) (*dataflowv1.File, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.Files.DownloadFile(ctx, &dataflowv1.DownloadFileRequest{FileId: fileID})
	if err != nil {
		return nil, err
	}
	var meta *dataflowv1.File
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return meta, nil
		}
		if err != nil {
			return meta, err
		}
		if chunk.GetFile() != nil {
			meta = chunk.GetFile()
		}
		if _, err := w.Write(chunk.GetData()); err != nil {
			return meta, err
		}
	}
}

// DownloadToFile downloads a file into path (created or truncated).
func (c *Client) DownloadToFile(ctx context.Context, fileID, path string) (*dataflowv1.File, error) {
	out, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	meta, err := c.Download(ctx, fileID, out)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return meta, err
}

// FileID returns the file id of a file-typed value, such as an execution
// output `{"file_id": "file-...", "name": ..., ...}`.
func FileID(v *structpb.Value) (string, bool) {
	id := v.GetStructValue().GetFields()["file_id"].GetStringValue()
	return id, id != ""
}
