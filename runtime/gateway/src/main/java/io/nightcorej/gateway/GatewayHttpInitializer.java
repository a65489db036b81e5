package io.nightcorej.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Pipeline of an HTTP connection:
 *
 * <pre>
 *   HttpRequestDecoder -> ObjectResponseEncoder -> GatewayHttpAggregator -> GatewayHttpHandler
 *   (bytes to request     (only for the            (whole bodies up to       (calls; writes each
 *    objects; header       aggregator's 100/413     maxPayloadBytes, 413      response as ready-made
 *    names not validated)  FullHttpResponses)       beyond)                   bytes, see HttpResponses)
 * </pre>
 *
 * The handler encodes its own responses ({@link HttpResponses}), so Netty's response encoder only ever sees the
 * aggregator's rare {@code 100 Continue} / {@code 413} objects and passes the handler's buffers through untouched.
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
        // Headers are not forwarded anywhere, so validating every header name and value of every request buys nothing.
        final HttpDecoderConfig decoding = new HttpDecoderConfig()
            .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false))
            .setTrailersFactory(DefaultHttpHeadersFactory.trailersFactory().withValidation(false));
        p.addLast("decoder", new HttpRequestDecoder(decoding));
        p.addLast("encoder", new ObjectResponseEncoder());
        p.addLast("aggregator", new GatewayHttpAggregator(router.context().maxPayloadBytes()));
        p.addLast("handler", new GatewayHttpHandler(router));
    }

    /** Encodes response objects; lets ready-made response bytes pass (Netty's encoder would reject them). */
    static final class ObjectResponseEncoder extends HttpResponseEncoder {
        @Override
        public boolean acceptOutboundMessage(final Object msg) throws Exception {
            return !(msg instanceof ByteBuf) && super.acceptOutboundMessage(msg);
        }
    }
}
