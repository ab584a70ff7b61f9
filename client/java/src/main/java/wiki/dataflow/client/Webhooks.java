package wiki.dataflow.client;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifying Dataflow's webhook deliveries (Standard Webhooks), for receivers: {@code
 * webhook-signature} holds one {@code v1,<base64 HMAC-SHA256>} per signing secret (space-separated;
 * two while the server's rotation window is open) over {@code <webhook-id>.<webhook-timestamp>.<raw
 * body>}, keyed by the base64-decoded part of a {@code whsec_…} secret.
 *
 * <pre>{@code
 * try {
 *   Webhooks.verify(headers, rawBody, List.of(newSecret, oldSecret));
 * } catch (Webhooks.VerificationException e) {
 *   // answer 400
 * }
 * }</pre>
 */
public final class Webhooks {
  /** How far {@code webhook-timestamp} may be from now, either way. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final String SECRET_PREFIX = "whsec_";

  private Webhooks() {}

  /** A delivery that does not verify (the message says why). */
  public static final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    VerificationException(String message) {
      super(message);
    }
  }

  /**
   * Check a delivery's {@code webhook-signature} and {@code webhook-timestamp} (within {@link
   * #TOLERANCE} of now). A delivery verifies when any of its signatures matches any of {@code
   * secrets} (several while you switch after a rotation). Pass the raw body exactly as received;
   * header names are case-insensitive. De-duplicate on {@code webhook-id}: retries of one event
   * carry the same id.
   *
   * @throws VerificationException when it does not verify
   * @throws IllegalArgumentException when {@code secrets} is empty or one is not a base64 secret
   */
  public static void verify(Map<String, String> headers, byte[] body, List<String> secrets)
      throws VerificationException {
    List<byte[]> keys = new ArrayList<>();
    for (String secret : secrets) {
      keys.add(secretKey(secret));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("Webhooks.verify needs at least one secret");
    }
    Map<String, String> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    named.putAll(headers);
    String id = named.get("webhook-id");
    String timestamp = named.get("webhook-timestamp");
    String signatures = named.get("webhook-signature");
    if (isEmpty(id) || isEmpty(timestamp) || isEmpty(signatures)) {
      throw new VerificationException("missing required headers");
    }
    if (!timestamp.chars().allMatch(c -> c >= '0' && c <= '9') || timestamp.length() > 18) {
      throw new VerificationException("invalid webhook-timestamp");
    }
    Duration age = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), Instant.now());
    if (age.compareTo(TOLERANCE) > 0) {
      throw new VerificationException("message timestamp too old");
    }
    if (age.compareTo(TOLERANCE.negated()) < 0) {
      throw new VerificationException("message timestamp too new");
    }

    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    List<byte[]> expected = new ArrayList<>();
    for (byte[] key : keys) {
      expected.add(hmacSha256(key, prefix, body));
    }
    for (String versioned : signatures.split(" ")) {
      int comma = versioned.indexOf(',');
      if (comma < 0 || !versioned.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(versioned.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] mac : expected) {
        if (MessageDigest.isEqual(mac, given)) { // constant-time
          return;
        }
      }
    }
    throw new VerificationException("no matching signature found");
  }

  private static byte[] secretKey(String secret) {
    String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    byte[] key = Base64.getDecoder().decode(encoded); // IllegalArgumentException when not base64
    if (key.length == 0) {
      throw new IllegalArgumentException("a webhook secret may not be empty");
    }
    return key;
  }

  private static byte[] hmacSha256(byte[] key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
