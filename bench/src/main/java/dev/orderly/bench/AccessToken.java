package dev.orderly.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A channel access token for an instance that requires them: a JWT signed with HMAC-SHA256 under the instance's
 * secret, allowing subscribe and emit on every channel.
 */
final class AccessToken {

    /** Lifetime of the token, longer than any run of this tool. */
    private static final Duration LIFETIME = Duration.ofHours(12);

    private AccessToken() {
    }

    /** Returns the {@code Authorization} header value carrying a new token signed with {@code secret}. */
    static String bearer(String secret) {
        long now = Instant.now().getEpochSecond();
        String header = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String claims = encode("{\"iat\":" + now + ",\"exp\":" + (now + LIFETIME.toSeconds())
                + ",\"scope\":\"subscribe emit\",\"channels\":[\"*\"]}");
        String signed = header + "." + claims;
        return "Bearer " + signed + "." + sign(signed, secret);
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String text, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
