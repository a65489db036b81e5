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
}
