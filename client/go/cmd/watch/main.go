// Command watch prints every event of one execution, from the start (or
// after the sequence given as second argument) until its terminal event, one
// line each: "event <sequence>: <type>". It exits 1 when the watch fails.
//
//	DATAFLOW_ADDRESS=127.0.0.1:50051 go run ./cmd/watch we-... [after-sequence]
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/dataflow/dataflow/client/go/dataflow"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) < 2 {
		return fmt.Errorf("usage: watch <execution-id> [after-sequence]")
	}
	var opts dataflow.WatchOptions
	if len(os.Args) > 2 {
		after, err := strconv.ParseInt(os.Args[2], 10, 32)
		if err != nil {
			return fmt.Errorf("after-sequence: %w", err)
		}
		opts.AfterSequence = int32(after)
	}
	client, err := dataflow.Dial("")
	if err != nil {
		return err
	}
	defer client.Close()
	for event, err := range client.Watch(context.Background(), os.Args[1], opts) {
		if err != nil {
			return fmt.Errorf("watch execution: %w", err)
		}
		fmt.Printf("event %d: %s\n", event.GetSequence(), event.GetType())
	}
	return nil
}
