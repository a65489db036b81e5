package io.nightcorej.loadgen.workload;

/**
 * Produces the requests of one run, in order. Not thread-safe: the engine calls it from its one event-loop thread,
 * so the sequence of requests depends only on the seed (the sends' timing never changes what is generated).
 */
@FunctionalInterface
public interface RequestGenerator {

    /**
     * @return the next request to send.
     */
    RequestSpec next();
}
