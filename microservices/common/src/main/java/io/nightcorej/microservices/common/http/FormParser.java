package io.nightcorej.microservices.common.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses query strings and {@code application/x-www-form-urlencoded} bodies the lenient way nginx-lua's
 * {@code ngx.req.get_uri_args()} / {@code get_post_args()} do, because DeathStarBench's wrk2 scripts send bodies
 * that are not percent-encoded ({@code text=hello world @username_1 http://x/y&media_types=["png"]}):
 * <ul>
 *   <li>split on {@code &}, then on the first {@code =} (a field without {@code =} has the empty value);</li>
 *   <li>{@code +} is a space;</li>
 *   <li>{@code %XX} with two hex digits is that byte; any other {@code %} is kept as it is (no error, no loss);</li>
 *   <li>every other byte is kept, raw spaces and UTF-8 included; the bytes are then read as UTF-8.</li>
 * </ul>
 * Empty fields ({@code a=1&&b=2}) are skipped; repeated names keep every value in order.
 */
public final class FormParser {

    private FormParser() {
    }

    /**
     * @param raw  the raw bytes of a query string (without '?') or a form body.
     * @param into where to add the fields.
     */
    public static void parse(final byte[] raw, final Map<String, List<String>> into) {
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '&') {
                if (i > start) {
                    field(raw, start, i, into);
                }
                start = i + 1;
            }
        }
    }

    /** @return the fields of a query string or form body. */
    public static Map<String, List<String>> parse(final byte[] raw) {
        final Map<String, List<String>> fields = new LinkedHashMap<>();
        parse(raw, fields);
        return fields;
    }

    private static void field(final byte[] raw, final int from, final int to, final Map<String, List<String>> into) {
        int eq = -1;
        for (int i = from; i < to; i++) {
            if (raw[i] == '=') {
                eq = i;
                break;
            }
        }
        final String name = decode(raw, from, eq < 0 ? to : eq);
        final String value = eq < 0 ? "" : decode(raw, eq + 1, to);
        if (!name.isEmpty()) {
            into.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
    }

    /**
     * Decodes one component: {@code +} to space, valid {@code %XX} to its byte, everything else kept.
     *
     * @return the decoded text (UTF-8; malformed sequences become U+FFFD).
     */
    public static String decode(final byte[] raw, final int from, final int to) {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            plain = raw[i] != '%' && raw[i] != '+';
        }
        if (plain) {
            return new String(raw, from, to - from, StandardCharsets.UTF_8);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            final byte b = raw[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%' && hex(raw, i + 1, to) >= 0 && hex(raw, i + 2, to) >= 0) {
                out.write(hex(raw, i + 1, to) << 4 | hex(raw, i + 2, to));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Decodes a whole string's ISO-8859-1 bytes (a request target as Netty hands it over). */
    public static String decode(final String rawLatin1) {
        final byte[] b = rawLatin1.getBytes(StandardCharsets.ISO_8859_1);
        return decode(b, 0, b.length);
    }

    private static int hex(final byte[] raw, final int i, final int to) {
        if (i >= to) {
            return -1;
        }
        final int c = raw[i];
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
