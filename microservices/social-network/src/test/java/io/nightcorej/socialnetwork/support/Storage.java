package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.net.LocalPorts;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.JedisSortedSetStore;
import io.nightcorej.microservices.common.storage.LocalServerProcess;
import io.nightcorej.microservices.common.storage.MongoDocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.microservices.common.storage.SpyCacheStore;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedMongoServer;
import io.nightcorej.microservices.common.storage.embedded.MemcachedServer;
import io.nightcorej.microservices.common.storage.embedded.RespServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The three stores for a test, through the real clients: documents always on the embedded mongo-java-server (Debian
 * has no MongoDB); sorted sets and cache on our embedded RESP and memcached servers, or on Debian's
 * {@code redis-server} and {@code memcached} ({@link #real()}). A missing binary skips the test with the reason,
 * unless {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}, where it fails it.
 */
public final class Storage implements AutoCloseable {

    /** Env var that turns a skipped real-storage test into a failure. */
    public static final String REQUIRE_REAL = "NIGHTCORE_REQUIRE_REAL_STORAGE";
    public static final long TIMEOUT_MS = 1000;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final boolean real;
    // Below Linux's ephemeral range (32768+): the outage test restarts a store on its old port, and an ephemeral port
    // can meanwhile become the local port of some outgoing connection on a busy machine.
    private final int redisPort = LocalPorts.outsideEphemeralRange();
    private final int memcachedPort = LocalPorts.outsideEphemeralRange();
    private AutoCloseable redisServer;
    private AutoCloseable memcachedServer;
    public final String mongoUri;
    public final DocumentStore documents;
    public final SortedSetStore sortedSets;
    public final CacheStore cache;

    private Storage(final boolean real) throws InterruptedException {
        this.real = real;
        final EmbeddedMongoServer mongo = EmbeddedMongoServer.start("127.0.0.1", 0);
        resources.add(mongo);
        mongoUri = mongo.uri();
        redisServer = startRedis();
        memcachedServer = startMemcached();
        documents = track(new MongoDocumentStore(mongo.uri(), TIMEOUT_MS));
        sortedSets = track(new JedisSortedSetStore(redisAddress(), TIMEOUT_MS));
        cache = track(new SpyCacheStore(memcachedAddress(), TIMEOUT_MS));
    }

    /** @return embedded servers for all three roles. */
    public static Storage embedded() throws InterruptedException {
        return new Storage(false);
    }

    /** @return Debian's redis-server and memcached (skips or fails when they are not installed). */
    public static Storage real() throws InterruptedException {
        requireBinary("redis-server");
        requireBinary("memcached");
        return new Storage(true);
    }

    /** Skips (or, with {@link #REQUIRE_REAL}=1, fails) the test when a binary is missing. */
    public static void requireBinary(final String binary) {
        if (LocalServerProcess.findExecutable(binary).isEmpty()) {
            final String reason = binary + " is not installed (apt-get install " + binary + ")";
            if ("1".equals(System.getenv(REQUIRE_REAL))) {
                Assertions.fail(reason + " but " + REQUIRE_REAL + "=1");
            }
            Assumptions.abort(reason + "; set " + REQUIRE_REAL + "=1 to make this a failure");
        }
    }


    private <T extends AutoCloseable> T track(final T resource) {
        resources.add(resource);
        return resource;
    }

    private AutoCloseable startRedis() throws InterruptedException {
        return real ? LocalServerProcess.redis(redisPort) : RespServer.start("127.0.0.1", redisPort);
    }

    private AutoCloseable startMemcached() throws InterruptedException {
        return real ? LocalServerProcess.memcached(memcachedPort) : MemcachedServer.start("127.0.0.1", memcachedPort);
    }

    /** @return host:port of the sorted-set server. */
    public String redisAddress() {
        return "127.0.0.1:" + redisPort;
    }

    /** @return host:port of the cache server. */
    public String memcachedAddress() {
        return "127.0.0.1:" + memcachedPort;
    }

    /** Stops the sorted-set server (an outage). */
    public void stopRedis() throws Exception {
        redisServer.close();
    }

    /** Starts the sorted-set server again on the same port, empty. */
    public void restartRedis() throws InterruptedException {
        redisServer = startRedis();
    }

    /** Stops the cache server (an outage). */
    public void stopMemcached() throws Exception {
        memcachedServer.close();
    }

    /** Starts the cache server again on the same port, empty. */
    public void restartMemcached() throws InterruptedException {
        memcachedServer = startMemcached();
    }

    @Override
    public void close() {
        final List<AutoCloseable> all = new ArrayList<>(resources);
        all.add(redisServer);
        all.add(memcachedServer);
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (final Exception ignored) {
                // best effort in tests
            }
        }
    }
}
