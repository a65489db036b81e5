package io.nightcorej.microservices.common.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves a workload's {@link HttpEndpoint}s. The event loop only parses: the request target is reduced to its path
 * (absolute-form {@code http://host:port/path?q} as wrk sends it, or origin-form), the query string and a form body are
 * decoded leniently ({@link FormParser}), and the endpoint then runs on the bounded worker {@link Executor}, never on
 * the event loop, because endpoints block on service calls.
 *
 * <p>Responses on one connection go out in request order: a pipelined request waits in a per-connection queue until
 * the one before it is answered. Unknown paths get 404, a malformed request 400 (and the connection closes), a full
 * worker pool 503, an endpoint that throws 500 with its message. Keep-alive follows the request (HTTP/1.1 default).
 */
public final class FrontendHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, HttpEndpoint> endpoints;
    private final Executor workers;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;

    /** A parsed request waiting for its turn on this connection. */
    private record Pending(HttpRequest request, boolean keepAlive, HttpVersion version) {
    }

    /**
     * @param endpoints endpoints by exact path.
     * @param workers   where endpoints run.
     */
    public FrontendHandler(final Map<String, HttpEndpoint> endpoints, final Executor workers) {
        this.endpoints = endpoints;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest msg) {
        final boolean keepAlive = HttpUtil.isKeepAlive(msg);
        if (msg.decoderResult().isFailure()) {
            final Throwable cause = msg.decoderResult().cause();
            send(ctx, HttpResponse.text(400, "Bad Request: " + (cause == null ? "malformed request" : cause.getMessage())),
                    false, msg.protocolVersion());
            return;
        }
        queue.add(new Pending(parse(msg), keepAlive, msg.protocolVersion()));
        if (!busy) {
            dispatchNext(ctx);
        }
    }

    /**
     * Turns a Netty request into a workload {@link HttpRequest}.
     *
     * @param msg the aggregated request.
     * @return method, path, parameters (form fields override query parameters) and body.
     */
    static HttpRequest parse(final FullHttpRequest msg) {
        final String target = msg.uri();
        final String originForm = originForm(target);
        final int q = originForm.indexOf('?');
        final String rawPath = q < 0 ? originForm : originForm.substring(0, q);
        final Map<String, List<String>> params = new LinkedHashMap<>();
        if (q >= 0) {
            FormParser.parse(originForm.substring(q + 1).getBytes(StandardCharsets.ISO_8859_1), params);
        }
        final byte[] body = ByteBufUtil.getBytes(msg.content());
        final String contentType = msg.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM) && body.length > 0) {
            final Map<String, List<String>> form = FormParser.parse(body);
            params.putAll(form); // a form field wins over a query parameter of the same name
        }
        // the path is matched as sent, like an exact nginx location; the benchmark paths are plain ASCII
        return new HttpRequest(msg.method().name(), rawPath.isEmpty() ? "/" : rawPath, params, body);
    }

    /** Reduces an absolute-form target ({@code http://host:port/p?q}) to origin form ({@code /p?q}). */
    static String originForm(final String target) {
        final int scheme = target.indexOf("://");
        if (scheme > 0 && scheme < 8 && !target.startsWith("/")) {
            final int slash = target.indexOf('/', scheme + 3);
            final int query = target.indexOf('?', scheme + 3);
            if (slash < 0 && query < 0) {
                return "/";
            }
            if (slash < 0 || (query >= 0 && query < slash)) {
                return "/" + target.substring(query);
            }
            return target.substring(slash);
        }
        return target;
    }

    private void dispatchNext(final ChannelHandlerContext ctx) {
        final Pending next = queue.poll();
        if (next == null) {
            busy = false;
            return;
        }
        busy = true;
        final HttpEndpoint endpoint = endpoints.get(next.request().path());
        if (endpoint == null) {
            respond(ctx, next, HttpResponse.text(404, "Not Found: " + next.request().path()));
            return;
        }
        try {
            workers.execute(() -> {
                HttpResponse response;
                try {
                    response = endpoint.handle(next.request());
                    if (response == null) {
                        response = HttpResponse.text(500, "endpoint " + next.request().path() + " returned no response");
                    }
                } catch (final Exception | Error e) {
                    response = HttpResponse.text(500, String.valueOf(e.getMessage() != null ? e.getMessage() : e));
                }
                final HttpResponse done = response;
                ctx.channel().eventLoop().execute(() -> respond(ctx, next, done));
            });
        } catch (final RejectedExecutionException e) {
            respond(ctx, next, HttpResponse.text(503, "front end overloaded: worker queue is full"));
        }
    }

    private void respond(final ChannelHandlerContext ctx, final Pending pending, final HttpResponse response) {
        if (!ctx.channel().isActive()) {
            queue.clear();
            busy = false;
            return;
        }
        send(ctx, response, pending.keepAlive(), pending.version());
        if (pending.keepAlive()) {
            dispatchNext(ctx);
        } else {
            queue.clear();
        }
    }

    private static void send(final ChannelHandlerContext ctx, final HttpResponse response, final boolean keepAlive,
            final HttpVersion version) {
        final ByteBuf content = Unpooled.wrappedBuffer(response.body());
        final FullHttpResponse out = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(response.status()),
                content);
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            if (version.equals(HttpVersion.HTTP_1_0)) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(out);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        ctx.close();
    }
}
