package io.nightcorej.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Pipeline of an HTTP connection: {@link HttpServerCodec} (request decoding, response encoding),
 * {@link GatewayHttpAggregator} (whole bodies up to maxPayloadBytes, 413 beyond), {@link GatewayHttpHandler}.
 */
public final class GatewayHttpInitializer extends ChannelInitializer<Channel> {

    private final CallRouter router;

    GatewayHttpInitializer(final CallRouter router) {
        this.router = router;
    }

    @Override
    protected void initChannel(final Channel ch) {
        ch.pipeline().addLast("codec", new HttpServerCodec());
        ch.pipeline().addLast("aggregator", new GatewayHttpAggregator(router.context().maxPayloadBytes()));
        ch.pipeline().addLast("handler", new GatewayHttpHandler(router));
    }
}
