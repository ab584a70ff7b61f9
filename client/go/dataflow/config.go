package dataflow

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// The environment variables ConfigFromEnv reads (the same as the Python
// client's and the CLI's).
const (
	APIKeyEnv         = "DATAFLOW_API_KEY"
	TLSEnv            = "DATAFLOW_TLS"
	CAFileEnv         = "DATAFLOW_CA_FILE"
	ClientCertFileEnv = "DATAFLOW_CLIENT_CERT_FILE"
	ClientKeyFileEnv  = "DATAFLOW_CLIENT_KEY_FILE"
)

// Config says where the server is and how to reach it.
type Config struct {
	// Address of the server; "" means $DATAFLOW_ADDRESS, else DefaultAddress.
	Address string
	// APIKey is sent as "authorization: Bearer <key>" with every call, over
	// TLS or plaintext (the loopback default). Never printed: see String.
	APIKey string
	// TLS connects over TLS, verified by the system's roots unless CAFile is
	// set; any of the files below implies it.
	TLS bool
	// CAFile holds the PEM CA certificate(s) that verify the server.
	CAFile string
	// ClientCertFile and ClientKeyFile (PEM) answer a server that requires
	// client certificates (mutual TLS).
	ClientCertFile string
	ClientKeyFile  string
}

// ConfigFromEnv reads DATAFLOW_ADDRESS, DATAFLOW_API_KEY, DATAFLOW_TLS
// ("true"), DATAFLOW_CA_FILE, DATAFLOW_CLIENT_CERT_FILE and
// DATAFLOW_CLIENT_KEY_FILE.
func ConfigFromEnv() Config {
	flag := strings.ToLower(strings.TrimSpace(os.Getenv(TLSEnv)))
	return Config{
		Address:        os.Getenv(AddressEnv),
		APIKey:         strings.TrimSpace(os.Getenv(APIKeyEnv)),
		TLS:            flag == "1" || flag == "true" || flag == "yes" || flag == "on",
		CAFile:         os.Getenv(CAFileEnv),
		ClientCertFile: os.Getenv(ClientCertFileEnv),
		ClientKeyFile:  os.Getenv(ClientKeyFileEnv),
	}
}

// String describes the configuration without the key.
func (c Config) String() string {
	key := "none"
	if c.APIKey != "" {
		key = "***"
	}
	return fmt.Sprintf("dataflow.Config{Address: %q, APIKey: %s, TLS: %t, CAFile: %q, ClientCertFile: %q, ClientKeyFile: %q}",
		c.Address, key, c.secure(), c.CAFile, c.ClientCertFile, c.ClientKeyFile)
}

// GoString keeps the key out of %#v too.
func (c Config) GoString() string { return c.String() }

func (c Config) secure() bool {
	return c.TLS || c.CAFile != "" || c.ClientCertFile != "" || c.ClientKeyFile != ""
}

func (c Config) transportCredentials() (credentials.TransportCredentials, error) {
	if !c.secure() {
		return insecure.NewCredentials(), nil
	}
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("CA file: %w", err)
		}
		config.RootCAs = x509.NewCertPool()
		if !config.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", c.CAFile)
		}
	}
	if (c.ClientCertFile == "") != (c.ClientKeyFile == "") {
		return nil, errors.New("a client certificate needs its key, and a key its certificate")
	}
	if c.ClientCertFile != "" {
		pair, err := tls.LoadX509KeyPair(c.ClientCertFile, c.ClientKeyFile)
		if err != nil {
			return nil, fmt.Errorf("client certificate: %w", err)
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return credentials.NewTLS(config), nil
}

// bearer sends the API key with every call. It does not require transport
// security: the Getting Started server is plaintext on loopback.
type bearer string

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(b)}, nil
}

func (bearer) RequireTransportSecurity() bool { return false }

func (bearer) String() string { return "bearer(***)" }
