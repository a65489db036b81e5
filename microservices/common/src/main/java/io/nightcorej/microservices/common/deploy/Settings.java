package io.nightcorej.microservices.common.deploy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flat string settings every deployment process gets (command-line {@code --set key=value}, or a function's
 * {@code settings} in the stack config), with the keys this module reads and typed, validating getters. A bad value
 * is an {@link IllegalArgumentException} naming the key and what was expected.
 *
 * <table>
 *   <caption>keys (see microservices/README.md for the full table)</caption>
 *   <tr><th>key</th><th>meaning</th></tr>
 *   <tr><td>{@code workload}, {@code service}</td><td>what to run</td></tr>
 *   <tr><td>{@code transport}</td><td>{@code rpc | function | gateway}: how services reach each other</td></tr>
 *   <tr><td>{@code services.<Name>}</td><td>{@code host:port} of an RPC server (transport rpc)</td></tr>
 *   <tr><td>{@code gateway.url}</td><td>the gateway's base URL (transport gateway)</td></tr>
 *   <tr><td>{@code storage.mongo|redis|memcached}</td><td>server addresses, or {@code embedded}</td></tr>
 *   <tr><td>{@code storage.timeout.ms}</td><td>bound on every storage wait (default 1000)</td></tr>
 * </table>
 */
public final class Settings {

    public static final String WORKLOAD = "workload";
    public static final String SERVICE = "service";
    public static final String TRANSPORT = "transport";
    public static final String SERVICES_PREFIX = "services.";
    public static final String GATEWAY_URL = "gateway.url";
    public static final String STORAGE_MONGO = "storage.mongo";
    public static final String STORAGE_REDIS = "storage.redis";
    public static final String STORAGE_MEMCACHED = "storage.memcached";
    public static final String STORAGE_TIMEOUT_MS = "storage.timeout.ms";
    public static final String STORAGE_REDIS_POOL = "storage.redis.pool";
    public static final String RPC_CONNECT_TIMEOUT_MS = "rpc.connect.timeout.ms";
    public static final String RPC_TIMEOUT_MS = "rpc.timeout.ms";
    public static final String RPC_POOL_IDLE = "rpc.pool.idle";
    public static final String GATEWAY_TIMEOUT_MS = "gateway.timeout.ms";
    public static final String GATEWAY_POOL_IDLE = "gateway.pool.idle";

    public static final long DEFAULT_STORAGE_TIMEOUT_MS = 1000;
    public static final long DEFAULT_RPC_CONNECT_TIMEOUT_MS = 1000;
    public static final long DEFAULT_CALL_TIMEOUT_MS = 10_000;

    private final Map<String, String> values;

    /** @param values the settings; copied. */
    public Settings(final Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * Parses {@code key=value} pairs (the values of repeated {@code --set} options).
     *
     * @param pairs the pairs; a later pair overrides an earlier one.
     * @return the settings.
     * @throws IllegalArgumentException for a pair without '=' or with an empty key.
     */
    public static Settings parse(final List<String> pairs) {
        final Map<String, String> map = new LinkedHashMap<>();
        for (final String pair : pairs) {
            final int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("setting '" + pair + "' is not key=value");
            }
            map.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return new Settings(map);
    }

    /** @return all settings, sorted by key, unmodifiable. */
    public Map<String, String> asMap() {
        return values;
    }

    /** @return the value or null. */
    public String get(final String key) {
        return values.get(key);
    }

    /** @return the value, or {@code fallback} when absent or blank. */
    public String get(final String key, final String fallback) {
        final String v = values.get(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * @return the value.
     * @throws IllegalArgumentException when absent, naming the key and what it is for.
     */
    public String require(final String key, final String purpose) {
        final String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("setting '" + key + "' is required: " + purpose);
        }
        return v;
    }

    /** @return the value as a positive long, or {@code fallback}. */
    public long getPositiveLong(final String key, final long fallback) {
        final String v = values.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            final long n = Long.parseLong(v.strip());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be a positive integer, not '" + v + "'");
        }
    }

    /** @return the value as a positive int, or {@code fallback}. */
    public int getPositiveInt(final String key, final int fallback) {
        final long n = getPositiveLong(key, fallback);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("setting '" + key + "' must be at most " + Integer.MAX_VALUE + ", not " + n);
        }
        return (int) n;
    }

    /** @return the {@code services.<Name>} entries by service name. */
    public Map<String, String> serviceAddresses() {
        final Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(SERVICES_PREFIX)) {
                out.put(k.substring(SERVICES_PREFIX.length()), v);
            }
        });
        return out;
    }

    /** @return a copy with one more entry. */
    public Settings with(final String key, final String value) {
        final Map<String, String> map = new TreeMap<>(values);
        map.put(key, value);
        return new Settings(map);
    }

    /** @return a copy with {@code key} set to {@code value} only if absent. */
    public Settings withDefault(final String key, final String value) {
        return values.containsKey(key) ? this : with(key, value);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
