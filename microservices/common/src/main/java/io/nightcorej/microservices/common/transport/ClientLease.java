package io.nightcorej.microservices.common.transport;

import org.apache.thrift.TServiceClient;

/**
 * A borrowed Thrift client. Close it to give it back; call {@link #invalidate()} first when the connection broke, so
 * that it is closed instead of pooled.
 */
public interface ClientLease<C extends TServiceClient> extends AutoCloseable {

    /** @return the client. */
    C client();

    /** Marks the connection broken: close discards it. */
    void invalidate();

    @Override
    void close();

    /**
     * @param client a client that owns no pooled connection (its transport opens what it needs per call).
     * @return a lease whose {@code invalidate} and {@code close} have nothing to do.
     */
    static <C extends TServiceClient> ClientLease<C> unpooled(final C client) {
        return new ClientLease<>() {
            @Override
            public C client() {
                return client;
            }

            @Override
            public void invalidate() {
                // nothing pooled
            }

            @Override
            public void close() {
                // nothing to give back
            }
        };
    }
}
