package io.nightcorej.microservices.common.deploy;

import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.JedisSortedSetStore;
import io.nightcorej.microservices.common.storage.MongoDocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.microservices.common.storage.SpyCacheStore;
import io.nightcorej.microservices.common.storage.StorageException;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedStorage;
import io.nightcorej.microservices.common.transport.FunctionServiceClients;
import io.nightcorej.microservices.common.transport.GatewayServiceClients;
import io.nightcorej.microservices.common.transport.RpcServiceClients;
import io.nightcorej.microservices.common.transport.ServiceClients;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@link ServiceEnvironment} every deployment builds from its settings (see {@link Settings} for the keys).
 *
 * <p>Stores are opened on first use: a service that never touches the cache never connects to memcached, and a store
 * setting that is missing is reported only to the service that needs it ({@link StorageException} naming the key).
 * The value {@code embedded} for a store means the JVM-wide {@link EmbeddedStorage#shared()} (tests, single-JVM runs).
 * The transport is chosen once: {@code rpc} (needs {@code services.<Name>}), {@code function} (inside a function
 * call), {@code gateway} (needs {@code gateway.url}); absent, it is {@code gateway} when {@code gateway.url} is set and
 * {@code rpc} otherwise.
 */
public final class DefaultServiceEnvironment implements ServiceEnvironment {

    private final Settings settings;
    private final long storageTimeoutMs;
    private final ServiceClients clients;
    private final Lazy<DocumentStore> documents;
    private final Lazy<CacheStore> cache;
    private final Lazy<SortedSetStore> sortedSets;

    private DefaultServiceEnvironment(final Settings settings, final ServiceClients clients) {
        this.settings = settings;
        this.clients = clients;
        this.storageTimeoutMs = settings.getPositiveLong(Settings.STORAGE_TIMEOUT_MS, Settings.DEFAULT_STORAGE_TIMEOUT_MS);
        final int redisPool = (int) settings.getPositiveLong(Settings.STORAGE_REDIS_POOL, 64);
        this.documents = new Lazy<>(() -> new MongoDocumentStore(
                address(Settings.STORAGE_MONGO, "mongodb://host:port", EmbeddedStorage::mongoUri), storageTimeoutMs));
        this.cache = new Lazy<>(() -> new SpyCacheStore(
                address(Settings.STORAGE_MEMCACHED, "host:port", EmbeddedStorage::memcachedAddress), storageTimeoutMs));
        this.sortedSets = new Lazy<>(() -> new JedisSortedSetStore(
                address(Settings.STORAGE_REDIS, "host:port", EmbeddedStorage::redisAddress), storageTimeoutMs, redisPool));
    }

    /**
     * @param settings the flat settings (see {@link Settings}).
     * @return the environment; nothing is connected yet.
     * @throws IllegalArgumentException for an unknown transport or a missing transport setting.
     */
    public static DefaultServiceEnvironment fromSettings(final Map<String, String> settings) {
        return fromSettings(new Settings(settings));
    }

    /** @see #fromSettings(Map) */
    public static DefaultServiceEnvironment fromSettings(final Settings settings) {
        return new DefaultServiceEnvironment(settings, clientsFor(settings));
    }

    /**
     * Builds an environment around clients the caller made (tests, or a deployment with its own transport).
     *
     * @param settings storage settings.
     * @param clients  the clients to other services; closed with the environment.
     * @return the environment.
     */
    public static DefaultServiceEnvironment withClients(final Settings settings, final ServiceClients clients) {
        return new DefaultServiceEnvironment(settings, clients);
    }

    /** @return the transport the settings select: the {@code transport} value or the inferred one. */
    public static String transportOf(final Settings settings) {
        return settings.get(Settings.TRANSPORT, settings.get(Settings.GATEWAY_URL) != null ? "gateway" : "rpc");
    }

    private static ServiceClients clientsFor(final Settings settings) {
        final String transport = transportOf(settings);
        final int callTimeout = (int) settings.getPositiveLong(Settings.RPC_TIMEOUT_MS, Settings.DEFAULT_CALL_TIMEOUT_MS);
        final int connectTimeout = (int) settings.getPositiveLong(Settings.RPC_CONNECT_TIMEOUT_MS,
                Settings.DEFAULT_RPC_CONNECT_TIMEOUT_MS);
        return switch (transport) {
            case "rpc" -> new RpcServiceClients(settings.serviceAddresses(), connectTimeout, callTimeout,
                    (int) settings.getPositiveLong(Settings.RPC_POOL_IDLE, 64));
            case "function" -> new FunctionServiceClients();
            case "gateway" -> new GatewayServiceClients(
                    settings.require(Settings.GATEWAY_URL, "the gateway's base URL for transport=gateway, e.g. "
                            + "http://127.0.0.1:8080"),
                    connectTimeout,
                    (int) settings.getPositiveLong(Settings.GATEWAY_TIMEOUT_MS, callTimeout),
                    (int) settings.getPositiveLong(Settings.GATEWAY_POOL_IDLE, 256));
            default -> throw new IllegalArgumentException("setting 'transport' must be rpc, function or gateway, not '"
                    + transport + "'");
        };
    }

    private String address(final String key, final String form,
            final java.util.function.Function<EmbeddedStorage, String> embedded) {
        final String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new StorageException("setting '" + key + "' is not set: give the server's address (" + form
                    + "), e.g. from StorageServerMain's output, or 'embedded' for an in-process server");
        }
        return "embedded".equals(value) ? embedded.apply(EmbeddedStorage.shared()) : value;
    }

    @Override
    public Map<String, String> settings() {
        return settings.asMap();
    }

    /** @return the settings with typed getters. */
    public Settings typedSettings() {
        return settings;
    }

    @Override
    public DocumentStore documents() {
        return documents.get();
    }

    @Override
    public CacheStore cache() {
        return cache.get();
    }

    @Override
    public SortedSetStore sortedSets() {
        return sortedSets.get();
    }

    @Override
    public ServiceClients clients() {
        return clients;
    }

    @Override
    public void close() {
        clients.close();
        documents.close();
        cache.close();
        sortedSets.close();
    }

    /** Opens a store on first use; a failed open is retried on the next use rather than remembered. */
    private static final class Lazy<T extends AutoCloseable> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(final Supplier<T> factory) {
            this.factory = factory;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = factory.get();
                        value = v;
                    }
                }
            }
            return v;
        }

        synchronized void close() {
            if (value != null) {
                try {
                    value.close();
                } catch (final Exception ignored) {
                    // closing a store that failed is not worth failing shutdown for
                }
                value = null;
            }
        }
    }
}
