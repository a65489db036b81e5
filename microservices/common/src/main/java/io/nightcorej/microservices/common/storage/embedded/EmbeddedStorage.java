package io.nightcorej.microservices.common.storage.embedded;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three embedded storage servers together, each on its own loopback socket: mongo-java-server (documents), our
 * RESP server (sorted sets) and our memcached-protocol server (cache). This is the zero-install storage of a
 * deployment; {@code StorageServerMain --mode embedded} runs one in its own process.
 */
public final class EmbeddedStorage implements AutoCloseable {

    private final EmbeddedMongoServer mongo;
    private final RespServer redis;
    private final MemcachedServer memcached;

    private EmbeddedStorage(final EmbeddedMongoServer mongo, final RespServer redis, final MemcachedServer memcached) {
        this.mongo = mongo;
        this.redis = redis;
        this.memcached = memcached;
    }

    /**
     * @param host          the address to bind.
     * @param mongoPort     0 for any free port.
     * @param redisPort     0 for any free port.
     * @param memcachedPort 0 for any free port.
     * @return the three running servers.
     * @throws InterruptedException when interrupted while binding.
     */
    public static EmbeddedStorage start(final String host, final int mongoPort, final int redisPort,
            final int memcachedPort) throws InterruptedException {
        EmbeddedMongoServer mongo = null;
        RespServer redis = null;
        try {
            mongo = EmbeddedMongoServer.start(host, mongoPort);
            redis = RespServer.start(host, redisPort);
            final MemcachedServer memcached = MemcachedServer.start(host, memcachedPort);
            return new EmbeddedStorage(mongo, redis, memcached);
        } catch (final RuntimeException | InterruptedException e) {
            if (redis != null) {
                redis.close();
            }
            if (mongo != null) {
                mongo.close();
            }
            throw e;
        }
    }

    private static EmbeddedStorage shared;

    /**
     * The JVM-wide embedded storage behind the setting value {@code embedded} ({@code storage.redis=embedded}...):
     * started on first use on free loopback ports and kept until the JVM exits. Convenient for tests and single-JVM
     * runs; processes that must share data need a separate {@code StorageServerMain}.
     *
     * @return the shared instance.
     */
    public static synchronized EmbeddedStorage shared() {
        if (shared == null) {
            try {
                shared = start("127.0.0.1", 0, 0, 0);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting embedded storage", e);
            }
        }
        return shared;
    }

    /** @return the {@code storage.mongo} value. */
    public String mongoUri() {
        return mongo.uri();
    }

    /** @return the {@code storage.redis} value. */
    public String redisAddress() {
        return redis.address();
    }

    /** @return the {@code storage.memcached} value. */
    public String memcachedAddress() {
        return memcached.address();
    }

    /** @return {@code storage.mongo}, {@code storage.redis} and {@code storage.memcached}: the settings for these servers. */
    public Map<String, String> settings() {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("storage.mongo", mongoUri());
        settings.put("storage.redis", redisAddress());
        settings.put("storage.memcached", memcachedAddress());
        return settings;
    }

    @Override
    public void close() {
        memcached.close();
        redis.close();
        mongo.close();
    }
}
