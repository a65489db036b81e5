package io.nightcorej.microservices.common.transport;

import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;
import org.apache.thrift.transport.TTransportException;

/**
 * How a handler reaches another service. The deployment picks the implementation, the handler never knows which:
 * pooled framed-binary Thrift connections over TCP (the RPC-server deployment), or a Nightcore internal call through
 * {@code FunctionCallTransport} (the function deployments).
 *
 * <pre><code>
 * try (ClientLease&lt;UserService.Client&gt; lease = clients.lease("UserService", new UserService.Client.Factory())) {
 *     lease.client().RegisterUser(...);
 * } // a lease whose call threw a TTransportException is discarded, not pooled
 * </code></pre>
 */
public interface ServiceClients extends AutoCloseable {

    /**
     * Borrows a client for a service.
     *
     * @param service the Thrift service name (also the function's name in the function deployments).
     * @param factory the generated client's factory.
     * @return a lease; closing it returns the client.
     * @throws TTransportException when the service cannot be reached.
     */
    <C extends TServiceClient> ClientLease<C> lease(String service, TServiceClientFactory<C> factory)
            throws TTransportException;

    @Override
    void close();
}
