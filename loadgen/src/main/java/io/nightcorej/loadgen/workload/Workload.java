package io.nightcorej.loadgen.workload;

/**
 * A named request mix (one wrk2 Lua script, ported). New applications (MovieReview compose-review) slot in as further
 * implementations registered in {@link Workloads}, as HotelReservation's mix did.
 */
public interface Workload {

    /**
     * @return the CLI name, e.g. {@code socialnetwork-mixed}.
     */
    String name();

    /**
     * @return one line: which script it reproduces.
     */
    String description();

    /**
     * Creates the generator for one run.
     *
     * @param options seed, target URL and script parameters.
     * @return a generator whose output depends only on {@code options}.
     */
    RequestGenerator newGenerator(WorkloadOptions options);
}
