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

    @Override
    void close();
}
