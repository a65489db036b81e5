package io.nightcorej.microservices.common.transport;

import io.nightcorej.sdk.thrift.MessageExchangeTransport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransportException;

/**
 * {@link ServiceClients} that reach a service through a function gateway over HTTP: each Thrift call is
 * {@code POST <gateway.url>/function/<Service>} with the binary-protocol request message as the body, and a 200
 * response's body is the reply message. This is how DeathStarBench's front end reaches Nightcore (NC's
 * {@code THttpTransport} in lua-thrift), and how the OpenFaaS-style watchdogs make internal calls.
 *
 * <p>A non-200 response becomes a {@link TTransportException} carrying the status and the gateway's message (for
 * example 404 for an unknown function, 503 when overloaded), so a generated client fails the way it would on a broken
 * socket and the handler maps it to its {@code ServiceException}. Connections are kept alive and pooled by one
 * {@link KeepAliveHttpClient}.
 */
public final class GatewayServiceClients implements ServiceClients {

    /** The content type of a Thrift binary message, as Thrift's own {@code THttpClient} sends it. */
    public static final String CONTENT_TYPE = "application/x-thrift";

    private final KeepAliveHttpClient http;
    private final String gatewayUrl;

    /**
     * @param gatewayUrl       e.g. {@code http://127.0.0.1:8080}.
     * @param connectTimeoutMs bound on connecting to the gateway.
     * @param callTimeoutMs    bound on waiting for a reply.
     * @param maxIdle          idle keep-alive connections kept.
     */
    public GatewayServiceClients(final String gatewayUrl, final int connectTimeoutMs, final int callTimeoutMs,
            final int maxIdle) {
        this.gatewayUrl = gatewayUrl;
        this.http = new KeepAliveHttpClient(gatewayUrl, connectTimeoutMs, callTimeoutMs, maxIdle);
    }

    @Override
    public <C extends TServiceClient> ClientLease<C> lease(final String service, final TServiceClientFactory<C> factory)
            throws TTransportException {
        final C client = factory.getClient(new TBinaryProtocol(new HttpCallTransport(service)));
        return ClientLease.unpooled(client);
    }

    @Override
    public void close() {
        http.close();
    }

    /** One Thrift message per HTTP POST to the gateway; the 200 body is the reply message. */
    private final class HttpCallTransport extends MessageExchangeTransport {
        private final String service;
        private final String path;

        HttpCallTransport(final String service) throws TTransportException {
            this.service = service;
            this.path = "/function/" + service;
        }

        @Override
        protected String peer() {
            return gatewayUrl + path;
        }

        @Override
        protected byte[] exchange(final byte[] message) throws TTransportException {
            final KeepAliveHttpClient.Response response;
            try {
                response = http.post(path, CONTENT_TYPE, message);
            } catch (final SocketTimeoutException e) {
                throw new TTransportException(TTransportException.TIMED_OUT, "calling " + service + " via "
                        + gatewayUrl + ": " + e.getMessage(), e);
            } catch (final IOException e) {
                throw new TTransportException(TTransportException.NOT_OPEN, "calling " + service + " via "
                        + gatewayUrl + ": " + e.getMessage(), e);
            }
            if (response.status() != 200) {
                String text = response.bodyText().strip();
                if (text.length() > 512) {
                    text = text.substring(0, 512) + "...";
                }
                throw new TTransportException(TTransportException.UNKNOWN, "calling " + service + " via " + gatewayUrl
                        + path + ": HTTP " + response.status() + (text.isEmpty() ? "" : ": " + text));
            }
            return response.body();
        }
    }
}
