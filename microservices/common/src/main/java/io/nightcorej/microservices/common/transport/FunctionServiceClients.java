package io.nightcorej.microservices.common.transport;

import io.nightcorej.sdk.FunctionContext;
import io.nightcorej.sdk.thrift.FunctionCallTransport;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransportException;

/**
 * {@link ServiceClients} for the function deployments: a call to another service is a Nightcore internal call to the
 * function of the same name, carrying the Thrift message ({@link FunctionCallTransport}).
 *
 * <p>The lease captures {@link FunctionContext#current()} of the thread that takes it, so lease on the thread running
 * the call (or on a thread the handler bound the context to) and use the client from there. There is nothing to pool:
 * a lease is two small objects, and a broken call leaves no connection behind.
 */
public final class FunctionServiceClients implements ServiceClients {

    @Override
    public <C extends TServiceClient> ClientLease<C> lease(final String service, final TServiceClientFactory<C> factory)
            throws TTransportException {
        final FunctionContext context;
        try {
            context = FunctionContext.current();
        } catch (final IllegalStateException e) {
            throw new TTransportException(TTransportException.NOT_OPEN, "cannot call " + service
                    + " through the function transport: " + e.getMessage()
                    + " (lease on the thread running the call, or bind its FunctionContext)");
        }
        final C client = factory.getClient(new TBinaryProtocol(new FunctionCallTransport(context, service)));
        return ClientLease.unpooled(client);
    }

    @Override
    public void close() {
        // no resources
    }
}
