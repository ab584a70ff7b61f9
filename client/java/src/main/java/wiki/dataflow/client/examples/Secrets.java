package wiki.dataflow.client.examples;

import com.google.protobuf.util.Timestamps;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import wiki.dataflow.client.DataflowClient;
import wiki.dataflow.v1.Secret;

/**
 * Manage your tenant's secrets (values are write-only).
 *
 * <pre>
 * echo "$TOKEN" | java -cp ... wiki.dataflow.client.examples.Secrets set NAME  # value from stdin
 * java -cp ... wiki.dataflow.client.examples.Secrets list                      # "NAME updated TIME"
 * java -cp ... wiki.dataflow.client.examples.Secrets delete NAME
 * </pre>
 *
 * One trailing newline of the value is dropped.
 */
public final class Secrets {
  private Secrets() {}

  public static void main(String[] args) throws IOException {
    String command = args.length > 0 ? args[0] : "";
    try (DataflowClient client = new DataflowClient(null)) {
      if (command.equals("set") && args.length == 2) {
        String value = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        if (value.endsWith("\n")) {
          value = value.substring(0, value.length() - (value.endsWith("\r\n") ? 2 : 1));
        }
        Secret secret = client.setSecret(args[1], value);
        System.out.println("secret " + secret.getName() + " set");
      } else if (command.equals("list") && args.length == 1) {
        for (Secret secret : client.listSecrets()) {
          System.out.println(
              secret.getName() + " updated " + Timestamps.toString(secret.getUpdateTime()));
        }
      } else if (command.equals("delete") && args.length == 2) {
        client.deleteSecret(args[1]);
        System.out.println("secret " + args[1] + " deleted");
      } else {
        System.err.println("usage: Secrets set NAME | list | delete NAME");
        System.exit(2);
      }
    } catch (StatusRuntimeException e) {
      System.err.println("error: " + e.getStatus());
      System.exit(1);
    }
  }
}
