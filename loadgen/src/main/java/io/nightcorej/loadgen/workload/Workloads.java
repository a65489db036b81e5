package io.nightcorej.loadgen.workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of workload names accepted by {@code --workload}: nop-post, the SocialNetwork scripts and the
 * HotelReservation mix. MovieReview's compose-review is added here as a further {@link Workload} when it is ported.
 */
public final class Workloads {
    /** The trivial workload: POST a 5-byte body to the URL as given. */
    public static final String NOP_POST = "nop-post";
    /** The body nop-post sends. */
    public static final String NOP_BODY = "hello";

    private static final Map<String, Workload> BY_NAME;

    static {
        final Map<String, Workload> map = new LinkedHashMap<>();
        map.put(NOP_POST, Workload.of(NOP_POST, "POST a 5-byte body to the URL as given", options -> {
            final String raw = options.url().getRawPath();
            final String q = options.url().getRawQuery();
            final String path = (raw == null || raw.isEmpty() ? "/" : raw) + (q == null ? "" : "?" + q);
            final RequestSpec spec = new RequestSpec("nop-post", "POST", path,
                List.<String[]>of(new String[] {"Content-Type", "application/octet-stream"}), NOP_BODY);
            return () -> spec;
        }));
        SocialNetworkWorkloads.all().forEach(w -> map.put(w.name(), w));
        HotelReservationWorkloads.all().forEach(w -> map.put(w.name(), w));
        MovieReviewWorkloads.all().forEach(w -> map.put(w.name(), w));
        BY_NAME = Collections.unmodifiableMap(map);
    }

    private Workloads() {
    }

    /**
     * @param name a workload name.
     * @return the workload.
     * @throws IllegalArgumentException naming the known workloads if {@code name} is unknown.
     */
    public static Workload byName(final String name) {
        final Workload w = BY_NAME.get(name);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + String.join(", ", names()));
        }
        return w;
    }

    /**
     * @return known names, in registration order.
     */
    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }
}
