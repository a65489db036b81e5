package io.nightcorej.microservices.common.testsupport;

import io.nightcorej.microservices.common.storage.LocalServerProcess;
import io.nightcorej.microservices.common.storage.embedded.MemcachedServer;
import io.nightcorej.microservices.common.storage.embedded.RespServer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A sorted-set or cache server for a test: ours ({@code embedded}: {@link RespServer}, {@link MemcachedServer}) or
 * Debian's ({@code real}: {@code redis-server}, {@code memcached} via {@link LocalServerProcess}), on a loopback port
 * below the ephemeral range that it keeps, so an outage test can stop it and start it again where the clients expect
 * it. A missing real binary skips the test with the reason, unless {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1} (CI),
 * where it fails it.
 *
 * <p>Shared with the workload modules through this module's test jar ({@code testsupport} only).
 */
public final class StoreServer implements AutoCloseable {

    /** Env var that turns a skipped real-storage test into a failure. */
    public static final String REQUIRE_REAL = "NIGHTCORE_REQUIRE_REAL_STORAGE";

    /** Starts one server on a port. */
    @FunctionalInterface
    private interface Starter {
        AutoCloseable start(int port) throws InterruptedException;
    }

    private final String description;
    private final Starter starter;
    private final int port = LocalServerProcess.freePort();
    private AutoCloseable server;

    private StoreServer(final String description, final Starter starter) {
        this.description = description;
        this.starter = starter;
        restart();
    }

    /** @return a running sorted-set server: {@code kind} "embedded" (RespServer) or "real" (redis-server). */
    public static StoreServer redis(final String kind) {
        if (isReal(kind)) {
            requireBinary("redis-server");
            return new StoreServer("real redis", LocalServerProcess::redis);
        }
        return new StoreServer("embedded redis", port -> RespServer.start("127.0.0.1", port));
    }

    /** @return a running cache server: {@code kind} "embedded" (MemcachedServer) or "real" (memcached). */
    public static StoreServer memcached(final String kind) {
        if (isReal(kind)) {
            requireBinary("memcached");
            return new StoreServer("real memcached", LocalServerProcess::memcached);
        }
        return new StoreServer("embedded memcached", port -> MemcachedServer.start("127.0.0.1", port));
    }

    private static boolean isReal(final String kind) {
        if (!"real".equals(kind) && !"embedded".equals(kind)) {
            throw new IllegalArgumentException("storage kind must be embedded or real, not '" + kind + "'");
        }
        return "real".equals(kind);
    }

    /** Skips (or, with {@link #REQUIRE_REAL}=1, fails) the test when a binary (= its Debian package) is missing. */
    public static void requireBinary(final String binary) {
        if (LocalServerProcess.findExecutable(binary).isEmpty()) {
            final String reason = binary + " is not installed (apt-get install " + binary + ")";
            if ("1".equals(System.getenv(REQUIRE_REAL))) {
                Assertions.fail(reason + " but " + REQUIRE_REAL + "=1");
            }
            Assumptions.abort(reason + "; set " + REQUIRE_REAL + "=1 to make this a failure");
        }
    }

    /** @return {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Starts the server again on the same port, empty (after {@link #close()}: the end of an outage). */
    public void restart() {
        try {
            server = starter.start(port);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + description, e);
        }
    }

    /** Stops the server (an outage, or the end of the test); {@link #restart()} starts it again. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (final Exception e) {
            throw new IllegalStateException("cannot stop " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
