package io.nightcorej.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * Pipeline of an HTTP connection:
 *
 * <pre>
 *   HttpRequestParser -> GatewayHttpHandler
 *   (bytes to whole       (calls; writes each response as
 *    requests, 413/400)    ready-made bytes, see HttpResponses)
 * </pre>
 *
 * No Netty HTTP codec objects on the hot path: the parser reads only the framing headers and slices the body out of
 * the receive buffer, and the handler encodes its own responses ({@link HttpResponses}).
 */
public final class GatewayHttpInitializer extends ChannelInitializer<Channel> {

    private final CallRouter router;

    GatewayHttpInitializer(final CallRouter router) {
        this.router = router;
    }

    @Override
    protected void initChannel(final Channel ch) {
        addHandlers(ch.pipeline(), router);
    }

    /** Adds the gateway's HTTP handlers to a pipeline (also used by tests on an EmbeddedChannel). */
    static void addHandlers(final ChannelPipeline p, final CallRouter router) {
        p.addLast("parser", new HttpRequestParser(router.context().maxPayloadBytes()));
        p.addLast("handler", new GatewayHttpHandler(router));
    }
}
