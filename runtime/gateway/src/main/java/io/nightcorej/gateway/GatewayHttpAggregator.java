package io.nightcorej.gateway;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * {@link HttpObjectAggregator} whose over-limit answer is a 413 with a reason, sent by {@link GatewayHttpHandler} in
 * order with the connection's other responses. As in Netty, a request that announced its length with keep-alive keeps
 * the connection (the aggregator skips the rest of its body); one that was already streaming chunks, or asked to close,
 * loses it, because the rest of its body cannot be skipped reliably.
 */
final class GatewayHttpAggregator extends HttpObjectAggregator {

    /** Event for the handler: answer 413 to this request. */
    record Oversized(String uri, HttpVersion version, boolean keepConnection) {
    }

    GatewayHttpAggregator(final int maxContentLength) {
        super(maxContentLength);
    }

    /**
     * A client that sent {@code Expect: 100-continue} with a length over the limit gets a 413 with a reason instead of
     * Netty's empty one, and does not send the body; the connection stays open.
     */
    @Override
    protected Object newContinueResponse(final HttpMessage start, final int maxContentLength, final ChannelPipeline pipeline) {
        final Object r = super.newContinueResponse(start, maxContentLength, pipeline);
        if (r instanceof FullHttpResponse && ((FullHttpResponse) r).status().code() == 413) {
            ReferenceCountUtil.release(r);
            final FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.copiedBuffer("payload too large: the request body exceeds maxPayloadBytes=" + maxContentLength + "\n",
                    StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
            return resp;
        }
        return r;
    }

    @Override
    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest)) {
            ctx.close();
            return;
        }
        final HttpRequest req = (HttpRequest) oversized;
        final boolean keep = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(oversized);
        ctx.fireUserEventTriggered(new Oversized(req.uri(), req.protocolVersion(), keep));
    }
}
