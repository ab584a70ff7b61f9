package wiki.dataflow.client;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * How a {@link DataflowClient} reaches the server: the address, the API key sent with every call,
 * and TLS (a CA file, a client certificate). {@link #fromEnv()} reads the same variables as the
 * other clients and the CLI; {@code toString()} never shows the key.
 *
 * <pre>{@code
 * Connection.fromEnv()                       // DATAFLOW_ADDRESS, DATAFLOW_API_KEY, DATAFLOW_CA_FILE...
 *     .withApiKey("dfk_...")                 // or a key from elsewhere
 *     .withCaFile("ca.pem");                 // TLS verified by this CA
 * }</pre>
 *
 * @param address the server address; null or empty: {@code $DATAFLOW_ADDRESS}, else the default
 * @param apiKey sent as {@code authorization: Bearer <key>} with every call (null: none), over TLS
 *     or plaintext (the loopback default)
 * @param tls connect over TLS, verified by the JVM's trusted roots unless {@code caFile} is set;
 *     any of the files implies it
 * @param caFile PEM CA certificate(s) that verify the server, or null
 * @param clientCertFile PEM client certificate for a server requiring one (mutual TLS), or null
 * @param clientKeyFile its PKCS#8 PEM key, or null
 */
public record Connection(
    String address,
    String apiKey,
    boolean tls,
    String caFile,
    String clientCertFile,
    String clientKeyFile) {
  public static final String API_KEY_ENV = "DATAFLOW_API_KEY";
  public static final String TLS_ENV = "DATAFLOW_TLS";
  public static final String CA_FILE_ENV = "DATAFLOW_CA_FILE";
  public static final String CLIENT_CERT_FILE_ENV = "DATAFLOW_CLIENT_CERT_FILE";
  public static final String CLIENT_KEY_FILE_ENV = "DATAFLOW_CLIENT_KEY_FILE";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The connection the environment describes (see the constants). */
  public static Connection fromEnv() {
    String flag = env(TLS_ENV).orElse("").toLowerCase(Locale.ROOT);
    return new Connection(
        env(DataflowClient.ADDRESS_ENV).orElse(null),
        env(API_KEY_ENV).orElse(null),
        flag.equals("1") || flag.equals("true") || flag.equals("yes") || flag.equals("on"),
        env(CA_FILE_ENV).orElse(null),
        env(CLIENT_CERT_FILE_ENV).orElse(null),
        env(CLIENT_KEY_FILE_ENV).orElse(null));
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  public Connection withAddress(String value) {
    return new Connection(value, apiKey, tls, caFile, clientCertFile, clientKeyFile);
  }

  public Connection withApiKey(String value) {
    return new Connection(address, value, tls, caFile, clientCertFile, clientKeyFile);
  }

  public Connection withCaFile(String value) {
    return new Connection(address, apiKey, tls, value, clientCertFile, clientKeyFile);
  }

  public Connection withClientCertificate(String certFile, String keyFile) {
    return new Connection(address, apiKey, tls, caFile, certFile, keyFile);
  }

  /** Whether the channel uses TLS. */
  public boolean secure() {
    return tls || caFile != null || clientCertFile != null || clientKeyFile != null;
  }

  ChannelCredentials credentials() {
    if (!secure()) {
      return InsecureChannelCredentials.create();
    }
    if ((clientCertFile == null) != (clientKeyFile == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs its key, and a key its certificate");
    }
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    try {
      if (caFile != null) {
        builder.trustManager(new File(caFile));
      }
      if (clientCertFile != null) {
        builder.keyManager(new File(clientCertFile), new File(clientKeyFile));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a TLS file: " + e.getMessage(), e);
    }
    return builder.build();
  }

  /** Adds the key to every call: a header works on plaintext channels too. */
  Optional<ClientInterceptor> authorization() {
    if (apiKey == null || apiKey.isEmpty()) {
      return Optional.empty();
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + apiKey);
    return Optional.of(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Override
  public String toString() {
    return "Connection[address=" + address + ", apiKey=" + (apiKey == null ? "none" : "***")
        + ", tls=" + secure() + ", caFile=" + caFile + ", clientCertFile=" + clientCertFile
        + ", clientKeyFile=" + clientKeyFile + "]";
  }
}
