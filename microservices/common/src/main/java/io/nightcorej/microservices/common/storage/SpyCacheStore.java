package io.nightcorej.microservices.common.storage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.spy.memcached.CachedData;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.ConnectionObserver;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.transcoders.Transcoder;

/**
 * {@link CacheStore} over spymemcached (text protocol), against a real {@code memcached} or the embedded
 * {@code MemcachedServer}.
 *
 * <p>spymemcached is asynchronous underneath and, left at its defaults, queues operations for a node that is
 * reconnecting and lets them wait until they time out (and logs every reconnect at INFO to stderr). This store bounds
 * that:
 * <ul>
 *   <li>{@link FailureMode#Cancel}: an operation for a node that is down is cancelled at once instead of queued, so a
 *       dead memcached costs microseconds, not a timeout;</li>
 *   <li>operation timeout and queue-insertion block time = {@code timeoutMs}, so a half-dead server (accepts, never
 *       answers) costs one timeout;</li>
 *   <li>reconnect back-off capped at one second, so the cache is used again within about a second of coming back;</li>
 *   <li>values are raw bytes with flags 0 (no Java serialization, no compression), readable by any client.</li>
 * </ul>
 */
public final class SpyCacheStore implements CacheStore {

    static {
        // Route spymemcached's own logging through SLF4J instead of its INFO-level stderr logger.
        if (System.getProperty("net.spy.log.LoggerImpl") == null) {
            System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
        }
    }

    /** Stores byte arrays as they are: flags 0, no serialization header, no compression. */
    static final class RawBytesTranscoder implements Transcoder<byte[]> {
        static final RawBytesTranscoder INSTANCE = new RawBytesTranscoder();

        @Override
        public boolean asyncDecode(final CachedData d) {
            return false;
        }

        @Override
        public CachedData encode(final byte[] o) {
            return new CachedData(0, o, CachedData.MAX_SIZE);
        }

        @Override
        public byte[] decode(final CachedData d) {
            return d.getData();
        }

        @Override
        public int getMaxSize() {
            return CachedData.MAX_SIZE;
        }
    }

    /** memcached's default item size limit ({@code -I 1m}) minus room for the key and item header. */
    public static final int MAX_VALUE_BYTES = 1024 * 1024 - 512;

    private final String address;
    private final long timeoutMs;
    private final MemcachedClient client;

    /**
     * @param hostPort  {@code host:port} of the server.
     * @param timeoutMs the bound on every operation.
     */
    public SpyCacheStore(final String hostPort, final long timeoutMs) {
        this.address = hostPort;
        this.timeoutMs = timeoutMs;
        final int colon = hostPort.lastIndexOf(':');
        final InetSocketAddress socketAddress;
        try {
            socketAddress = new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (final RuntimeException e) {
            throw new StorageException("memcached: bad address '" + hostPort + "', expected host:port", e);
        }
        final ConnectionFactoryBuilder builder = new ConnectionFactoryBuilder()
                .setProtocol(ConnectionFactoryBuilder.Protocol.TEXT)
                .setFailureMode(FailureMode.Cancel)
                .setOpTimeout(timeoutMs)
                .setOpQueueMaxBlockTime(timeoutMs)
                .setMaxReconnectDelay(1)
                .setTimeoutExceptionThreshold(16)
                .setShouldOptimize(false)
                .setUseNagleAlgorithm(false)
                .setDaemon(true);
        final CountDownLatch connected = new CountDownLatch(1);
        builder.setInitialObservers(List.of(new ConnectionObserver() {
            @Override
            public void connectionEstablished(final SocketAddress sa, final int reconnectCount) {
                connected.countDown();
            }

            @Override
            public void connectionLost(final SocketAddress sa) {
                // spymemcached reconnects by itself; operations meanwhile are cancelled (FailureMode.Cancel)
            }
        }));
        try {
            this.client = new MemcachedClient(builder.build(), List.of(socketAddress));
        } catch (final IOException e) {
            throw new StorageException("memcached " + hostPort + ": cannot create client: " + e.getMessage(), e);
        }
        // The connect is asynchronous and Cancel mode would cancel operations issued before it completes: wait for it,
        // at most one timeout. A server that is down now is not an error here; operations will report it.
        try {
            connected.await(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private StorageException failure(final String operation, final String key, final Throwable e) {
        final Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        final String why;
        if (cause instanceof TimeoutException || cause instanceof net.spy.memcached.OperationTimeoutException) {
            why = "timed out after " + timeoutMs + " ms";
        } else if (cause instanceof CancellationException) {
            why = "server unavailable (not connected; the client reconnects in the background)";
        } else {
            why = String.valueOf(cause.getMessage());
        }
        return new StorageException("memcached " + address + ": " + operation + (key == null ? "" : " '" + key + "'")
                + " failed: " + why, cause);
    }

    @Override
    public byte[] get(final String key) {
        try {
            return client.asyncGet(key, RawBytesTranscoder.INSTANCE).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("get", key, e);
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            throw failure("get", key, e);
        }
    }

    @Override
    public Map<String, byte[]> getMulti(final Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        try {
            return client.asyncGetBulk(keys, RawBytesTranscoder.INSTANCE).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("get x" + keys.size(), null, e);
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            throw failure("get x" + keys.size(), null, e);
        }
    }

    @Override
    public void set(final String key, final byte[] value, final int ttlSeconds) {
        if (value.length > MAX_VALUE_BYTES) {
            // memcached answers SERVER_ERROR, on which spymemcached drops and re-opens the connection, failing every
            // other operation in flight: refuse it here instead.
            throw new StorageException("memcached " + address + ": set '" + key + "' refused: value of " + value.length
                    + " bytes exceeds the " + MAX_VALUE_BYTES + "-byte item limit");
        }
        final boolean stored;
        try {
            final OperationFuture<Boolean> future = client.set(key, ttlSeconds, value, RawBytesTranscoder.INSTANCE);
            stored = future.get(timeoutMs, TimeUnit.MILLISECONDS);
            if (!stored) {
                throw new StorageException("memcached " + address + ": set '" + key + "' was refused: "
                        + future.getStatus().getMessage());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("set", key, e);
        } catch (final StorageException e) {
            throw e;
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            throw failure("set", key, e);
        }
    }

    @Override
    public void delete(final String key) {
        try {
            client.delete(key).get(timeoutMs, TimeUnit.MILLISECONDS); // false = was not there: fine
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("delete", key, e);
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public boolean add(final String key, final byte[] value, final int ttlSeconds) {
        if (value.length > MAX_VALUE_BYTES) {
            throw new StorageException("memcached " + address + ": add '" + key + "' refused: value of " + value.length
                    + " bytes exceeds the " + MAX_VALUE_BYTES + "-byte item limit");
        }
        try {
            return client.add(key, ttlSeconds, value, RawBytesTranscoder.INSTANCE).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("add", key, e);
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            throw failure("add", key, e);
        }
    }

    @Override
    public long incr(final String key, final long delta) {
        try {
            return client.asyncIncr(key, delta).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("incr", key, e);
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            throw failure("incr", key, e);
        }
    }

    /** Invalidates every item (tests and loaders). */
    public void flushAll() {
        try {
            client.flush().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("flush_all", null, e);
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            throw failure("flush_all", null, e);
        }
    }

    @Override
    public void close() {
        client.shutdown(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        return "SpyCacheStore[" + address + "]";
    }
}
