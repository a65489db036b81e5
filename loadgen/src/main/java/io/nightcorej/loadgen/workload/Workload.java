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

    /**
     * @param name the CLI name.
     * @param description one line: which script it reproduces.
     * @param factory makes the generator for one run from its options.
     * @return the workload.
     */
    static Workload of(final String name, final String description,
                       final java.util.function.Function<WorkloadOptions, RequestGenerator> factory) {
        return new Workload() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public RequestGenerator newGenerator(final WorkloadOptions options) {
                return factory.apply(options);
            }
        };
    }
}
