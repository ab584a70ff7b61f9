// Command verify-webhook verifies saved webhook deliveries with
// dataflow.VerifyWebhook: each file is a JSON object
// {"headers": {...}, "body": "<raw body>"}; the secrets are
// $DATAFLOW_WEBHOOK_SECRETS (one whsec_... or several, comma-separated). It
// prints "<file>: verified <event type>" or "<file>: rejected: <why>" for
// each, and exits 1 when one is rejected.
//
//	DATAFLOW_WEBHOOK_SECRETS=whsec_... go run ./cmd/verify-webhook delivery.json ...
//
// A receiver does the same with the request's raw body:
//
//	body, _ := io.ReadAll(r.Body)
//	if err := dataflow.VerifyWebhook(r.Header, body, secrets...); err != nil { ... 400 ... }
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/dataflow/dataflow/client/go/dataflow"
)

type delivery struct {
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func main() {
	secrets := strings.FieldsFunc(os.Getenv("DATAFLOW_WEBHOOK_SECRETS"), func(r rune) bool { return r == ',' })
	rejected := false
	for _, path := range os.Args[1:] {
		verdict, err := verify(path, secrets)
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		rejected = rejected || strings.HasPrefix(verdict, "rejected")
		fmt.Printf("%s: %s\n", path, verdict)
	}
	if rejected {
		os.Exit(1)
	}
}

func verify(path string, secrets []string) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var d delivery
	if err := json.Unmarshal(raw, &d); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	header := http.Header{}
	for name, value := range d.Headers {
		header.Set(name, value)
	}
	err = dataflow.VerifyWebhook(header, []byte(d.Body), secrets...)
	if errors.Is(err, dataflow.ErrWebhookVerification) {
		return "rejected: " + strings.TrimPrefix(err.Error(), dataflow.ErrWebhookVerification.Error()+": "), nil
	}
	if err != nil {
		return "", err
	}
	var event struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal([]byte(d.Body), &event); err != nil {
		return "", fmt.Errorf("%s: body: %w", path, err)
	}
	return "verified " + event.Type, nil
}
