package wiki.dataflow.client.examples;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import wiki.dataflow.client.Webhooks;

/**
 * Verify saved webhook deliveries with {@link Webhooks#verify}: each file is a JSON object {@code
 * {"headers": {...}, "body": "<raw body>"}}; the secrets are {@code $DATAFLOW_WEBHOOK_SECRETS} (one
 * {@code whsec_…} or several, comma-separated). Prints {@code <file>: verified <event type>} or
 * {@code <file>: rejected: <why>} for each, and exits 1 when one is rejected.
 *
 * <pre>
 * DATAFLOW_WEBHOOK_SECRETS=whsec_... java -cp ... wiki.dataflow.client.examples.VerifyWebhook delivery.json ...
 * </pre>
 */
public final class VerifyWebhook {
  private VerifyWebhook() {}

  public static void main(String[] args) throws IOException {
    String env = System.getenv().getOrDefault("DATAFLOW_WEBHOOK_SECRETS", "");
    List<String> secrets = Arrays.stream(env.split(",")).filter(s -> !s.isEmpty()).toList();
    boolean rejected = false;
    for (String path : args) {
      Struct.Builder delivery = Struct.newBuilder();
      JsonFormat.parser().merge(Files.readString(Path.of(path)), delivery);
      Map<String, String> headers = new TreeMap<>();
      delivery
          .getFieldsOrThrow("headers")
          .getStructValue()
          .getFieldsMap()
          .forEach((name, value) -> headers.put(name, value.getStringValue()));
      String body = delivery.getFieldsOrThrow("body").getStringValue();
      try {
        Webhooks.verify(headers, body.getBytes(StandardCharsets.UTF_8), secrets);
        Struct.Builder event = Struct.newBuilder();
        JsonFormat.parser().merge(body, event);
        String type = event.getFieldsOrDefault("type", Value.getDefaultInstance()).getStringValue();
        System.out.println(path + ": verified " + type);
      } catch (Webhooks.VerificationException e) {
        System.out.println(path + ": rejected: " + e.getMessage());
        rejected = true;
      }
    }
    System.exit(rejected ? 1 : 0);
  }
}
