package dataflow

import (
	"context"
	"iter"

	dataflowv1 "github.com/dataflow/dataflow/client/go/dataflow/v1"
)

// SetSecret creates the secret name of your tenant, or replaces its value
// (admin scope). Task inputs that accept secrets reference it as
// {{secrets.NAME}}; the value is write-only: no call returns it.
func (c *Client) SetSecret(ctx context.Context, name, value string) (*dataflowv1.Secret, error) {
	reply, err := c.Secrets.SetSecret(ctx, &dataflowv1.SetSecretRequest{Name: name, Value: value})
	if err != nil {
		return nil, err
	}
	return reply.GetSecret(), nil
}

// ListSecrets yields every secret of your tenant by name (names and times,
// never values), fetching pages as needed; it ends early with one non-nil
// error.
func (c *Client) ListSecrets(ctx context.Context) iter.Seq2[*dataflowv1.Secret, error] {
	return func(yield func(*dataflowv1.Secret, error) bool) {
		token := ""
		for {
			page, err := c.Secrets.ListSecrets(ctx, &dataflowv1.ListSecretsRequest{PageToken: token})
			if err != nil {
				yield(nil, err)
				return
			}
			for _, secret := range page.GetSecrets() {
				if !yield(secret, nil) {
					return
				}
			}
			if token = page.GetNextPageToken(); token == "" {
				return
			}
		}
	}
}

// DeleteSecret deletes a secret (admin scope); a NOT_FOUND status error when
// there is none.
func (c *Client) DeleteSecret(ctx context.Context, name string) error {
	_, err := c.Secrets.DeleteSecret(ctx, &dataflowv1.DeleteSecretRequest{Name: name})
	return err
}
