package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.JedisSortedSetStore;
import io.nightcorej.microservices.common.storage.MongoDocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.microservices.common.storage.SpyCacheStore;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedMongoServer;
import io.nightcorej.microservices.common.testsupport.StoreServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three stores for a test, through the real clients: documents always on the embedded mongo-java-server (Debian
 * has no MongoDB); sorted sets and cache on our embedded RESP and memcached servers, or on Debian's
 * {@code redis-server} and {@code memcached} ({@link #real()}), each a {@link StoreServer} an outage test can stop
 * and restart on its port. A missing binary skips the test with the reason, unless
 * {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}, where it fails it.
 */
public final class Storage implements AutoCloseable {

    public static final long TIMEOUT_MS = 1000;

    private final List<AutoCloseable> resources = new ArrayList<>();
    public final StoreServer redis;
    public final StoreServer memcached;
    public final String mongoUri;
    public final DocumentStore documents;
    public final SortedSetStore sortedSets;
    public final CacheStore cache;

    private Storage(final String kind) throws InterruptedException {
        final EmbeddedMongoServer mongo = track(EmbeddedMongoServer.start("127.0.0.1", 0));
        mongoUri = mongo.uri();
        redis = track(StoreServer.redis(kind));
        memcached = track(StoreServer.memcached(kind));
        documents = track(new MongoDocumentStore(mongo.uri(), TIMEOUT_MS));
        sortedSets = track(new JedisSortedSetStore(redis.address(), TIMEOUT_MS));
        cache = track(new SpyCacheStore(memcached.address(), TIMEOUT_MS));
    }

    /** @return embedded servers for all three roles. */
    public static Storage embedded() throws InterruptedException {
        return new Storage("embedded");
    }

    /** @return Debian's redis-server and memcached (skips or fails when they are not installed). */
    public static Storage real() throws InterruptedException {
        StoreServer.requireBinary("redis-server");
        StoreServer.requireBinary("memcached");
        return new Storage("real");
    }

    private <T extends AutoCloseable> T track(final T resource) {
        resources.add(resource);
        return resource;
    }

    /** @return the {@code storage.*} settings a deployment passes for these stores. */
    public Map<String, String> settings() {
        return Map.of("storage.mongo", mongoUri, "storage.redis", redis.address(), "storage.memcached",
                memcached.address(), "storage.timeout.ms", Long.toString(TIMEOUT_MS));
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (final Exception ignored) {
                // best effort in tests
            }
        }
    }
}
