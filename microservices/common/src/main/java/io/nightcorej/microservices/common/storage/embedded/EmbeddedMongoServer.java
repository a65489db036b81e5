package io.nightcorej.microservices.common.storage.embedded;

import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;

/**
 * mongo-java-server with its in-memory backend on a real TCP socket: the zero-install stand-in for {@code mongod}
 * (Debian ships no MongoDB). The MongoDB Java driver talks to it over the MongoDB wire protocol, exactly as to a
 * {@code mongod}; it implements the query, update and index operations DeathStarBench's services use.
 *
 * <p>The backend is the library's memory backend plus {@code mongod}'s rule of serving a query from an index whose
 * keys are equality fields of the query ({@link IndexPrefixMemoryBackend}).
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    private final MongoServer server;
    private final InetSocketAddress address;

    private EmbeddedMongoServer(final MongoServer server, final InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /**
     * @param host the address to bind.
     * @param port the port, 0 for any free one.
     * @return the listening server.
     */
    public static EmbeddedMongoServer start(final String host, final int port) {
        final MongoServer server = new MongoServer(new IndexPrefixMemoryBackend());
        server.bind(host, port);
        return new EmbeddedMongoServer(server, server.getLocalAddress());
    }

    /** @return the bound port. */
    public int port() {
        return address.getPort();
    }

    /** @return the connection string for {@code storage.mongo}. */
    public String uri() {
        return "mongodb://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
