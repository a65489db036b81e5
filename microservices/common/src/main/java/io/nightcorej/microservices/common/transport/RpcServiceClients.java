package io.nightcorej.microservices.common.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * {@link ServiceClients} for the RPC-server deployment: Thrift over TCP, {@code TFramedTransport(TSocket)} with
 * {@code TBinaryProtocol}, as DeathStarBench's services talk to each other.
 *
 * <p>Each service has a pool of idle connections. A lease takes one (or opens one, bounded by the connect timeout),
 * and closing the lease returns it, unless the connection is known or suspected broken: a transport error on it (a
 * reset, an EOF, a read timeout whose late reply would desynchronize the next call), an explicit
 * {@link ClientLease#invalidate()}, or unread reply bytes. Those are closed instead, so a restarted server costs one
 * failed call per stale connection, never a wrong reply.
 */
public final class RpcServiceClients implements ServiceClients {

    private final Map<String, String> addresses;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final int maxIdlePerService;
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param addresses         {@code host:port} by service name.
     * @param connectTimeoutMs  bound on opening a connection.
     * @param readTimeoutMs     bound on waiting for a reply.
     * @param maxIdlePerService idle connections kept per service.
     */
    public RpcServiceClients(final Map<String, String> addresses, final int connectTimeoutMs, final int readTimeoutMs,
            final int maxIdlePerService) {
        this.addresses = Map.copyOf(addresses);
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
        this.maxIdlePerService = maxIdlePerService;
    }

    /** One pooled connection: the socket, its framing, the protocol, and the last client built on it. */
    private static final class Connection {
        final String service;
        final TrackingTransport transport;
        final TBinaryProtocol protocol;
        TServiceClient client;

        Connection(final String service, final TrackingTransport transport) {
            this.service = service;
            this.transport = transport;
            this.protocol = new TBinaryProtocol(transport);
        }
    }

    @Override
    public <C extends TServiceClient> ClientLease<C> lease(final String service, final TServiceClientFactory<C> factory)
            throws TTransportException {
        if (closed) {
            throw new TTransportException(TTransportException.NOT_OPEN, "service clients are closed");
        }
        final ConcurrentLinkedDeque<Connection> pool = idle.computeIfAbsent(service, s -> new ConcurrentLinkedDeque<>());
        Connection connection = pool.pollFirst();
        if (connection == null) {
            connection = open(service);
        }
        @SuppressWarnings("unchecked")
        C client = (C) connection.client;
        if (client == null || !isSameClientType(client, factory)) {
            client = factory.getClient(connection.protocol);
            connection.client = client;
        }
        return new Lease<>(connection, client);
    }

    private static boolean isSameClientType(final TServiceClient client, final TServiceClientFactory<?> factory) {
        // generated code: UserService.Client.Factory is nested in the UserService.Client it makes
        return client.getClass() == factory.getClass().getEnclosingClass();
    }

    private Connection open(final String service) throws TTransportException {
        final String address = addresses.get(service);
        if (address == null) {
            throw new TTransportException(TTransportException.NOT_OPEN, "no address for service '" + service
                    + "': set services." + service + "=host:port (known: " + addresses.keySet() + ")");
        }
        final int colon = address.lastIndexOf(':');
        final String host;
        final int port;
        try {
            host = address.substring(0, colon);
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (final RuntimeException e) {
            throw new TTransportException(TTransportException.NOT_OPEN, "services." + service + "='" + address
                    + "' is not host:port");
        }
        final TSocket socket = new TSocket(new TConfiguration(), host, port, readTimeoutMs, connectTimeoutMs);
        try {
            socket.open();
        } catch (final TTransportException e) {
            socket.close();
            throw new TTransportException(e.getType(), "cannot connect to " + service + " at " + address + ": "
                    + e.getMessage(), e);
        }
        opened.incrementAndGet();
        return new Connection(service, new TrackingTransport(new TFramedTransport(socket), service + "@" + address));
    }

    private void release(final Connection connection, final boolean invalid) {
        final TrackingTransport t = connection.transport;
        if (invalid || closed || t.broken() || !t.isOpen() || t.getBytesRemainingInBuffer() > 0) {
            t.close();
            return;
        }
        final ConcurrentLinkedDeque<Connection> pool = idle.get(connection.service);
        if (pool.size() >= maxIdlePerService) {
            t.close();
        } else {
            pool.offerFirst(connection); // LIFO: the warmest connection is reused first
        }
    }

    /** @return connections opened so far (tests, stats). */
    public int connectionsOpened() {
        return opened.get();
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(pool -> {
            Connection c;
            while ((c = pool.pollFirst()) != null) {
                c.transport.close();
            }
        });
    }

    private final class Lease<C extends TServiceClient> implements ClientLease<C> {
        private final Connection connection;
        private final C client;
        private boolean invalid;
        private boolean returned;

        Lease(final Connection connection, final C client) {
            this.connection = connection;
            this.client = client;
        }

        @Override
        public C client() {
            return client;
        }

        @Override
        public void invalidate() {
            invalid = true;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                release(connection, invalid);
            }
        }
    }

    /**
     * Wraps a transport and remembers whether any operation on it failed, so the pool never reuses a connection in an
     * unknown state. Buffer access is passed through, keeping TBinaryProtocol's zero-copy fast path.
     */
    static final class TrackingTransport extends TTransport {
        private final TTransport inner;
        private final String name;
        private volatile boolean broken;

        TrackingTransport(final TTransport inner, final String name) {
            this.inner = inner;
            this.name = name;
        }

        boolean broken() {
            return broken;
        }

        private TTransportException fail(final TTransportException e) {
            broken = true;
            return e;
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void open() throws TTransportException {
            try {
                inner.open();
            } catch (final TTransportException e) {
                throw fail(e);
            }
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public int read(final byte[] buf, final int off, final int len) throws TTransportException {
            try {
                return inner.read(buf, off, len);
            } catch (final TTransportException e) {
                throw fail(new TTransportException(e.getType(), name + ": " + e.getMessage(), e));
            }
        }

        @Override
        public void write(final byte[] buf, final int off, final int len) throws TTransportException {
            try {
                inner.write(buf, off, len);
            } catch (final TTransportException e) {
                throw fail(e);
            }
        }

        @Override
        public void flush() throws TTransportException {
            try {
                inner.flush();
            } catch (final TTransportException e) {
                throw fail(new TTransportException(e.getType(), name + ": " + e.getMessage(), e));
            }
        }

        @Override
        public byte[] getBuffer() {
            return inner.getBuffer();
        }

        @Override
        public int getBufferPosition() {
            return inner.getBufferPosition();
        }

        @Override
        public int getBytesRemainingInBuffer() {
            return inner.getBytesRemainingInBuffer();
        }

        @Override
        public void consumeBuffer(final int len) {
            inner.consumeBuffer(len);
        }

        @Override
        public TConfiguration getConfiguration() {
            return inner.getConfiguration();
        }

        @Override
        public void updateKnownMessageSize(final long size) throws TTransportException {
            inner.updateKnownMessageSize(size);
        }

        @Override
        public void checkReadBytesAvailable(final long numBytes) throws TTransportException {
            inner.checkReadBytesAvailable(numBytes);
        }
    }
}
