package io.nightcorej.microservices.common.storage;

import java.util.Collection;
import java.util.Map;

/**
 * The cache (memcached's role in DeathStarBench), spoken to through spymemcached against a real {@code memcached}
 * or the embedded memcached-protocol server. Misses are normal; failures throw {@link StorageException}.
 */
public interface CacheStore extends AutoCloseable {

    /** @return the value, or null on a miss. */
    byte[] get(String key);

    /** @return the values found, by key; missing keys are absent. */
    Map<String, byte[]> getMulti(Collection<String> keys);

    /** Stores a value; {@code ttlSeconds} 0 means no expiry. */
    void set(String key, byte[] value, int ttlSeconds);

    /** Removes a value; removing a missing key is not an error. */
    void delete(String key);

    /**
     * memcached {@code add}: stores the value only if the key is absent, atomically on the server (DSB's
     * ComposeReview/ComposePost joins rely on it).
     *
     * @return true if stored, false if the key was present (its value is kept).
     */
    default boolean add(final String key, final byte[] value, final int ttlSeconds) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not implement add");
    }

    /**
     * memcached {@code incr}: adds {@code delta} to a decimal value, atomically on the server.
     *
     * @return the new value, or -1 if the key does not exist.
     */
    default long incr(final String key, final long delta) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not implement incr");
    }

    @Override
    void close();
}
