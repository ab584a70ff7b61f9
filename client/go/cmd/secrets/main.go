// Command secrets manages your tenant's secrets (values are write-only):
//
//	echo "$TOKEN" | go run ./cmd/secrets set NAME   # value from stdin, one trailing newline dropped
//	go run ./cmd/secrets list                       # "NAME updated <time>", one a line
//	go run ./cmd/secrets delete NAME
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dataflow/dataflow/client/go/dataflow"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := dataflow.Dial("")
	if err != nil {
		return err
	}
	defer client.Close()
	switch {
	case len(args) == 2 && args[0] == "set":
		value, err := io.ReadAll(os.Stdin)
		if err != nil {
			return err
		}
		text, found := strings.CutSuffix(string(value), "\n")
		if found {
			text = strings.TrimSuffix(text, "\r")
		}
		secret, err := client.SetSecret(ctx, args[1], text)
		if err != nil {
			return err
		}
		fmt.Printf("secret %s set\n", secret.GetName())
	case len(args) == 1 && args[0] == "list":
		for secret, err := range client.ListSecrets(ctx) {
			if err != nil {
				return err
			}
			fmt.Printf("%s updated %s\n", secret.GetName(), secret.GetUpdateTime().AsTime().Format(time.RFC3339))
		}
	case len(args) == 2 && args[0] == "delete":
		if err := client.DeleteSecret(ctx, args[1]); err != nil {
			return err
		}
		fmt.Printf("secret %s deleted\n", args[1])
	default:
		return fmt.Errorf("usage: secrets set NAME | list | delete NAME")
	}
	return nil
}
