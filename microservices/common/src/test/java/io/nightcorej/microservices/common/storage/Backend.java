package io.nightcorej.microservices.common.storage;

import io.nightcorej.microservices.common.storage.embedded.MemcachedServer;
import io.nightcorej.microservices.common.storage.embedded.RespServer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A storage server for one parameterized run of a store suite: ours (embedded) or Debian's (real). A missing real
 * binary skips the run with the reason, unless {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}, where it fails the run.
 */
interface Backend extends AutoCloseable {

    String REQUIRE_REAL = "NIGHTCORE_REQUIRE_REAL_STORAGE";

    /** @return host:port. */
    String address();

    /** Stops the server (the port may then be reused by {@link #restart()}). */
    @Override
    void close();

    /** Starts the server again on the same port, empty. */
    void restart();

    static void requireBinary(final String binary) {
        if (LocalServerProcess.findExecutable(binary).isEmpty()) {
            final String reason = binary + " is not installed (apt-get install " + binary + ")";
            if ("1".equals(System.getenv(REQUIRE_REAL))) {
                Assertions.fail(reason + " but " + REQUIRE_REAL + "=1");
            }
            Assumptions.abort(reason + "; set " + REQUIRE_REAL + "=1 to make this a failure");
        }
    }

    /** Starts a sorted-set server: "embedded" (RespServer) or "real" (redis-server). */
    static Backend redis(final String kind) {
        if ("real".equals(kind)) {
            requireBinary("redis-server");
        }
        return new Backend() {
            private final int port = LocalServerProcess.freePort();
            private AutoCloseable server = start();

            private AutoCloseable start() {
                try {
                    return "real".equals(kind) ? LocalServerProcess.redis(port) : RespServer.start("127.0.0.1", port);
                } catch (final InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public String address() {
                return "127.0.0.1:" + port;
            }

            @Override
            public void close() {
                closeQuietly(server);
            }

            @Override
            public void restart() {
                server = start();
            }

            @Override
            public String toString() {
                return kind + " redis";
            }
        };
    }

    /** Starts a cache server: "embedded" (MemcachedServer) or "real" (memcached). */
    static Backend memcached(final String kind) {
        if ("real".equals(kind)) {
            requireBinary("memcached");
        }
        return new Backend() {
            private final int port = LocalServerProcess.freePort();
            private AutoCloseable server = start();

            private AutoCloseable start() {
                try {
                    return "real".equals(kind) ? LocalServerProcess.memcached(port) : MemcachedServer.start("127.0.0.1", port);
                } catch (final InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public String address() {
                return "127.0.0.1:" + port;
            }

            @Override
            public void close() {
                closeQuietly(server);
            }

            @Override
            public void restart() {
                server = start();
            }

            @Override
            public String toString() {
                return kind + " memcached";
            }
        };
    }

    private static void closeQuietly(final AutoCloseable c) {
        try {
            c.close();
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
