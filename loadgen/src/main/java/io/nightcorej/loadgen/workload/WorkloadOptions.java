package io.nightcorej.loadgen.workload;

import java.net.URI;

/**
 * What a workload may depend on.
 *
 * @param seed random seed; the same seed gives the same request sequence.
 * @param url the URL given on the command line. SocialNetwork workloads use only its scheme/host/port and add the
 *            {@code /wrk2-api/...} paths; {@code nop-post} posts to the URL as given.
 * @param maxUserIndex the scripts' {@code max_user_index} (962 = socfb-Reed98's node count).
 */
public record WorkloadOptions(long seed, URI url, int maxUserIndex) {

    /** Default {@code max_user_index} of the scripts. */
    public static final int DEFAULT_MAX_USER_INDEX = 962;

    /** Validates. */
    public WorkloadOptions {
        if (maxUserIndex < 2) {
            throw new IllegalArgumentException("maxUserIndex must be >= 2 (mentions need a second user), got " + maxUserIndex);
        }
    }

    /**
     * @return the URL's path without trailing slashes ("" for none): workloads whose front-end paths are relative to
     *         the URL (HotelReservation's functions under {@code <gateway>/function}) prefix their paths with it.
     */
    public String pathPrefix() {
        String p = url.getRawPath();
        if (p == null) {
            return "";
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
