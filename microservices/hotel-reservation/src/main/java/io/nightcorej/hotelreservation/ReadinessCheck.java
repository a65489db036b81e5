package io.nightcorej.hotelreservation;

import io.nightcorej.microservices.common.transport.KeepAliveHttpClient;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * What {@code bin/stack load} does for this workload. HotelReservation has no loader upstream: its services generate
 * their data when they start (NC's {@code db.go}, here {@link io.nightcorej.hotelreservation.data.Seeder}). This
 * checks through the public front end that the data is there and the call graph works, retrying until
 * {@code timeout_s}:
 * <ol>
 *   <li>{@code /recommendations?require=price} must answer hotel 2 (the cheapest of NC's data);</li>
 *   <li>{@code /hotels} for the night of 2015-04-09 at the Clift Hotel must answer a non-empty FeatureCollection
 *       (hotels 1, 2 and 3 have rate plans; reservations may have filled some of them);</li>
 *   <li>{@code /user} for Cornell_1 must answer NC's (always failing) login message;</li>
 * </ol>
 * then sends {@code warmup} more of each (default 20), which also builds the per-process in-memory indexes (geo,
 * recommendation, user) before a measurement. No reservation is made: it would change the data.
 */
final class ReadinessCheck {

    private static final Set<String> OPTIONS = Set.of("timeout_s", "warmup");
    private static final String RECOMMEND = "/recommendations?require=price&lat=38.0235&lon=-122.095";
    private static final String HOTELS = "/hotels?inDate=2015-04-09&outDate=2015-04-10&lat=37.7867&lon=-122.4112";
    private static final String NON_EMPTY = "{\"features\":[{\"geometry\"";
    private static final String USER = "/user?username=Cornell_1&password=1111111111";

    private final URI frontend;
    private final long timeoutMs;
    private final int warmup;

    private ReadinessCheck(final URI frontend, final long timeoutMs, final int warmup) {
        this.frontend = frontend;
        this.timeoutMs = timeoutMs;
        this.warmup = warmup;
    }

    static ReadinessCheck fromOptions(final URI frontend, final Map<String, String> options) {
        for (final String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown hotelreservation load option '" + key + "'; known: " + OPTIONS);
            }
        }
        return new ReadinessCheck(frontend, 1000L * number(options, "timeout_s", 60), (int) number(options, "warmup", 20));
    }

    private static long number(final Map<String, String> options, final String key, final long defaultValue) {
        final String v = options.get(key);
        try {
            return v == null ? defaultValue : Long.parseLong(v.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("load option '" + key + "' must be a number, not '" + v + "'", e);
        }
    }

    void run() throws Exception {
        final long t0 = System.nanoTime();
        final long deadline = t0 + timeoutMs * 1_000_000;
        try (KeepAliveHttpClient http = new KeepAliveHttpClient(frontend.toString(), 1000, 15_000, 4)) {
            awaitOk(http, "GET", RECOMMEND, "\"id\":\"2\"", deadline);
            awaitOk(http, "GET", HOTELS, NON_EMPTY, deadline);
            awaitOk(http, "POST", USER, "Failed. Please check your username and password.", deadline);
            for (int i = 0; i < warmup; i++) {
                expect(http, "GET", RECOMMEND, "\"id\":\"2\"");
                expect(http, "GET", HOTELS, NON_EMPTY);
                expect(http, "POST", USER, "\"message\"");
            }
        }
        System.err.printf("hotelreservation load: data present and front end answering (%d warm-up rounds) in %.1f s%n",
                warmup, (System.nanoTime() - t0) / 1e9);
    }

    private void awaitOk(final KeepAliveHttpClient http, final String method, final String path, final String expected,
            final long deadline) throws Exception {
        while (true) {
            try {
                expect(http, method, path, expected);
                return;
            } catch (final IOException | IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("hotelreservation not ready after " + timeoutMs / 1000 + " s: " + method
                            + " " + frontend + path + ": " + e.getMessage(), e);
                }
                Thread.sleep(500);
            }
        }
    }

    private static void expect(final KeepAliveHttpClient http, final String method, final String path, final String expected)
            throws IOException {
        final KeepAliveHttpClient.Response r = "GET".equals(method) ? http.get(path)
                : http.post(path, "application/x-www-form-urlencoded", new byte[0]);
        final String body = r.bodyText();
        if (r.status() != 200 || !body.contains(expected)) {
            throw new IllegalStateException("HTTP " + r.status() + " '" + body.strip() + "' (expected 200 with " + expected
                    + ")");
        }
    }
}
