package io.nightcorej.microservices.common.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * DeathStarBench's UserService credentials (SocialNetwork and MediaMicroservices alike): salt = 32 random characters
 * of {@code [0-9A-Za-z]}, stored password = lower-case hex SHA-256 of {@code password + salt} (picosha2), login token =
 * an HS256 JWT over a flat object of strings.
 */
public final class Credentials {

    private static final char[] SALT_ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonFactory JSON = new JsonFactory();

    private Credentials() {
    }

    /** @return 32 random characters from {@code [0-9A-Za-z]}. */
    public static String salt() {
        final char[] chars = new char[32];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = SALT_ALPHABET[RANDOM.nextInt(SALT_ALPHABET.length)];
        }
        return new String(chars);
    }

    /** @return lower-case hex SHA-256 of the UTF-8 bytes (picosha2's {@code hash256_hex_string}). */
    public static String sha256Hex(final String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param payload the claims, all strings, in the order given.
     * @return a compact JWS: {@code base64url(header).base64url(payload).base64url(HMAC-SHA256)}.
     */
    public static String jwtHs256(final Map<String, String> payload, final byte[] secret) {
        final Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        try {
            final String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            final String body = b64.encodeToString(jsonObject(payload).getBytes(StandardCharsets.UTF_8));
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            final byte[] signature = mac.doFinal((header + "." + body).getBytes(StandardCharsets.US_ASCII));
            return header + "." + body + "." + b64.encodeToString(signature);
        } catch (final Exception e) {
            throw new IllegalStateException("cannot sign JWT: " + e.getMessage(), e);
        }
    }

    /** A flat JSON object of strings, in the map's order. */
    static String jsonObject(final Map<String, String> values) {
        final StringWriter out = new StringWriter(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (final Map.Entry<String, String> e : values.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
