package dataflow

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// WebhookTolerance is how far webhook-timestamp may be from now, either way.
const WebhookTolerance = 5 * time.Minute

// ErrWebhookVerification is wrapped by every error of VerifyWebhook about
// the delivery (errors.Is(err, ErrWebhookVerification)).
var ErrWebhookVerification = errors.New("dataflow: webhook verification failed")

const webhookSecretPrefix = "whsec_"

// VerifyWebhook checks a delivery (Standard Webhooks) of Dataflow: its
// webhook-timestamp must be within WebhookTolerance of now, and one of the
// signatures in webhook-signature ("v1,<base64 HMAC-SHA256>" per signing
// secret, space-separated: two while the server's rotation window is open)
// must be the HMAC of "<webhook-id>.<webhook-timestamp>.<body>" under one of
// secrets ("whsec_..."; several while you switch after a rotation).
//
// Pass the raw body exactly as received, then json.Unmarshal it. De-duplicate
// on the webhook-id header: retries of one event carry the same id.
func VerifyWebhook(header http.Header, body []byte, secrets ...string) error {
	if len(secrets) == 0 {
		return errors.New("dataflow: VerifyWebhook needs at least one secret")
	}
	keys := make([][]byte, len(secrets))
	for i, secret := range secrets {
		key, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(strings.TrimPrefix(secret, webhookSecretPrefix), "="))
		if err != nil || len(key) == 0 {
			return fmt.Errorf("dataflow: webhook secret %d is not a whsec_ base64 secret", i+1)
		}
		keys[i] = key
	}
	id, timestamp, signatures := header.Get("webhook-id"), header.Get("webhook-timestamp"), header.Get("webhook-signature")
	if id == "" || timestamp == "" || signatures == "" {
		return fmt.Errorf("%w: missing required headers", ErrWebhookVerification)
	}
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: invalid webhook-timestamp", ErrWebhookVerification)
	}
	switch age := time.Since(time.Unix(seconds, 0)); {
	case age > WebhookTolerance:
		return fmt.Errorf("%w: message timestamp too old", ErrWebhookVerification)
	case age < -WebhookTolerance:
		return fmt.Errorf("%w: message timestamp too new", ErrWebhookVerification)
	}

	expected := make([][]byte, len(keys))
	for i, key := range keys {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id + "." + timestamp + "."))
		mac.Write(body)
		expected[i] = mac.Sum(nil)
	}
	for _, versioned := range strings.Split(signatures, " ") {
		version, signature, ok := strings.Cut(versioned, ",")
		if !ok || version != "v1" {
			continue
		}
		given, err := base64.StdEncoding.DecodeString(signature)
		if err != nil {
			continue
		}
		for _, mac := range expected {
			if hmac.Equal(mac, given) {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: no matching signature found", ErrWebhookVerification)
}
