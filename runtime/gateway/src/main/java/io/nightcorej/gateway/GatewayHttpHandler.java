package io.nightcorej.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;

/**
 * Turns HTTP requests into function calls and answers into HTTP responses.
 *
 * <pre>
 *   POST /function/NAME            body = input                   200 output | 4xx/5xx text reason
 *   POST /function/NAME?k=v&amp;..     qsAsInput: input = {"k":"v",..} (the body is ignored); malformed query: 400
 *   GET  /function/NAME?k=v&amp;..     allowHttpGet; input = {"k":"v",..} when qsAsInput, else empty
 *   GET  /stats                    JSON: gateway per-function counts and latency percentiles + each engine's STATS_REPLY
 *   GET  /metrics                  Prometheus text exposition of the same
 *   GET  /health                   {"engines":n,"in_flight":n,"queued":n}
 * </pre>
 *
 * Request targets may be origin-form ({@code /function/Foo}) or absolute-form ({@code http://host:port/function/Foo},
 * which wrk sends). Responses go out in request order, so pipelined requests are answered correctly; a response that is
 * ready early waits for the ones before it. Nothing here blocks or logs per request.
 */
public final class GatewayHttpHandler extends SimpleChannelInboundHandler<GatewayRequest> {

    static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=UTF-8");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    private static final AsciiString PROMETHEUS = AsciiString.cached("text/plain; version=0.0.4; charset=UTF-8");
    private static final String FUNCTION_PREFIX = "/function/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ENGINE_STATS_TIMEOUT_MS = 1000;

    private final CallRouter router;
    private final ArrayDeque<Exchange> outstanding = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean closing;
    /** Whether the request being handled is HEAD (its response gets no body). */
    private boolean head;

    GatewayHttpHandler(final CallRouter router) {
        this.router = router;
    }

    CallRouter router() {
        return router;
    }

    EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    boolean isActive() {
        return ctx.channel().isActive();
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext context, final GatewayRequest req) {
        boolean bodyHandedOver = false;
        try {
            bodyHandedOver = handle(context, req);
        } finally {
            if (!bodyHandedOver) {
                req.body.release();
            }
        }
    }

    /** @return whether the request body became a call's input (otherwise the caller releases it). */
    private boolean handle(final ChannelHandlerContext context, final GatewayRequest req) {
        final long start = System.nanoTime();
        head = req.method == HttpMethod.HEAD;
        final boolean keepAlive = req.keepAlive;
        final HttpVersion version = req.version;
        final GatewayStats stats = router.stats();
        if (req.malformed != null) {
            // The parser could not read the request (its version may be garbage too): answer in HTTP/1.1 and close.
            final Exchange ex = begin(new Exchange(this, start, HttpVersion.HTTP_1_1, false, stats.of(null)));
            complete(ex, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + req.malformed);
            return false;
        }
        if (req.oversized) {
            rejectOversized(req);
            return false;
        }
        final String target = req.uri;
        final String pathAndQuery = originForm(target);
        if (pathAndQuery == null) {
            complete(begin(new Exchange(this, start, version, keepAlive, stats.of(null))), HttpResponseStatus.BAD_REQUEST,
                "bad request target: " + target);
            return false;
        }
        final int q = pathAndQuery.indexOf('?');
        final String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        final HttpMethod method = req.method;
        if (path.startsWith(FUNCTION_PREFIX)) {
            final String name = path.substring(FUNCTION_PREFIX.length());
            if (name.isEmpty() || name.indexOf('/') >= 0) {
                complete(begin(new Exchange(this, start, version, keepAlive, stats.of(null))), HttpResponseStatus.BAD_REQUEST,
                    "bad function path: " + path + " (expected /function/<name>)");
                return false;
            }
            final FunctionRoute route = router.route(name);
            if (route == null) {
                complete(begin(new Exchange(this, start, version, keepAlive, stats.of(null))), HttpResponseStatus.NOT_FOUND,
                    "unknown function: " + name);
                return false;
            }
            if (method != HttpMethod.POST && !(method == HttpMethod.GET && route.allowHttpGet())) {
                complete(begin(new Exchange(this, start, version, keepAlive, stats.of(name))), HttpResponseStatus.BAD_REQUEST,
                    "method " + method + " not allowed for /function/" + name
                    + (method == HttpMethod.GET ? " (allowHttpGet is false; use POST)" : " (use POST)"));
                return false;
            }
            final ByteBuf input;
            if (route.qsAsInput()) {
                // As the original gateway: with qsAsInput the query string is the input for GET and POST alike (NC's
                // HotelReservation front end POSTs /function/reservation?... with no body); a body is ignored.
                try {
                    input = queryAsJson(pathAndQuery);
                } catch (final IllegalArgumentException e) {
                    complete(begin(new Exchange(this, start, version, keepAlive, stats.of(name))), HttpResponseStatus.BAD_REQUEST,
                        "malformed query string for /function/" + name + ": " + e.getMessage());
                    return false;
                }
            } else {
                input = method == HttpMethod.POST ? req.body : Unpooled.EMPTY_BUFFER;
            }
            final PendingCall call = new PendingCall(this, start, version, keepAlive, stats.of(name), route, input);
            begin(call);
            router.submit(call, context.channel().eventLoop());
            return input == req.body;
        }
        if (method != HttpMethod.GET) {
            complete(begin(new Exchange(this, start, version, keepAlive, stats.of(null))), HttpResponseStatus.BAD_REQUEST,
                "method " + method + " not allowed for " + path);
            return false;
        }
        switch (path) {
            case "/stats":
                serveStats(begin(new Exchange(this, start, version, keepAlive, null)), false);
                return false;
            case "/metrics":
                serveStats(begin(new Exchange(this, start, version, keepAlive, null)), true);
                return false;
            case "/health":
                final Exchange ex = begin(new Exchange(this, start, version, keepAlive, null));
                complete(ex, HttpResponseStatus.OK, APPLICATION_JSON, Unpooled.copiedBuffer("{\"engines\":" + router.enginesConnected()
                    + ",\"in_flight\":" + router.inFlightCount() + ",\"queued\":" + router.queuedCount() + "}", StandardCharsets.UTF_8));
                return false;
            default:
                complete(begin(new Exchange(this, start, version, keepAlive, stats.of(null))), HttpResponseStatus.NOT_FOUND,
                    "no such path: " + path + " (POST /function/<name>, GET /stats, GET /metrics, GET /health)");
                return false;
        }
    }

    /**
     * @return the path and query of an origin-form or absolute-form request target, or null when it is neither.
     */
    static String originForm(final String target) {
        if (target.startsWith("/")) {
            return target;
        }
        final int scheme = target.indexOf("://");
        if (scheme > 0 && (target.regionMatches(true, 0, "http", 0, scheme))) {
            final int slash = target.indexOf('/', scheme + 3);
            if (slash < 0) {
                final int qm = target.indexOf('?', scheme + 3);
                return qm < 0 ? "/" : "/" + target.substring(qm);
            }
            return target.substring(slash);
        }
        return null;
    }

    /**
     * The query string as a flat JSON object of strings ({@code {}} when there is none): {@code +} and {@code %XX} are
     * decoded, a repeated key keeps its last value, as the original does.
     *
     * @throws IllegalArgumentException on a malformed escape ({@code %zz}, a truncated {@code %4}).
     */
    static ByteBuf queryAsJson(final String pathAndQuery) {
        final Map<String, List<String>> params = new QueryStringDecoder(pathAndQuery).parameters();
        final ObjectNode obj = JSON.createObjectNode();
        for (final Map.Entry<String, List<String>> e : params.entrySet()) {
            final List<String> v = e.getValue();
            obj.put(e.getKey(), v.isEmpty() ? "" : v.get(v.size() - 1));
        }
        return Unpooled.wrappedBuffer(obj.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void serveStats(final Exchange ex, final boolean prometheus) {
        router.collectEngineStats(ctx.executor(), ENGINE_STATS_TIMEOUT_MS).whenComplete((replies, error) -> {
            final List<String> engines = replies == null ? List.of() : replies;
            final GatewayStats stats = router.stats();
            final int inFlight = router.inFlightCount();
            final int queued = router.queuedCount();
            final int connected = router.enginesConnected();
            final String body = prometheus ? stats.toPrometheus(inFlight, queued, connected, engines)
                : stats.toJson(inFlight, queued, connected, engines);
            complete(ex, HttpResponseStatus.OK, prometheus ? PROMETHEUS : APPLICATION_JSON,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        });
    }

    private Exchange begin(final Exchange ex) {
        ex.head = head;
        outstanding.addLast(ex);
        return ex;
    }

    /** Answers a call with its output (any thread). */
    void completeOk(final Exchange ex, final ByteBuf output) {
        complete(ex, HttpResponseStatus.OK, OCTET_STREAM, output);
    }

    /** Answers with a plain-text reason (any thread). */
    void complete(final Exchange ex, final HttpResponseStatus status, final String reason) {
        complete(ex, status, TEXT_PLAIN, Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8));
    }

    void complete(final Exchange ex, final HttpResponseStatus status, final AsciiString contentType, final ByteBuf body) {
        final ByteBuf resp = HttpResponses.encode(ctx.alloc(), ex.version, status, contentType, ex.keepAlive, ex.head, body);
        if (ex.stats != null) {
            ex.stats.record(status.code(), (System.nanoTime() - ex.startNanos) / 1000);
        }
        if (ctx.executor().inEventLoop()) {
            respond(ex, resp);
        } else {
            ctx.executor().execute(() -> respond(ex, resp));
        }
    }

    private void respond(final Exchange ex, final ByteBuf resp) {
        ex.response = resp;
        if (closing || !ctx.channel().isActive()) {
            drop();
            return;
        }
        boolean wrote = false;
        Exchange first;
        while ((first = outstanding.peekFirst()) != null && first.response != null) {
            outstanding.pollFirst();
            final ByteBuf r = first.response;
            first.response = null;
            wrote = true;
            if (!first.keepAlive) {
                closing = true;
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                drop();
                return;
            }
            ctx.write(r, ctx.voidPromise());
        }
        if (wrote) {
            FlushBatcher.flushLater(ctx.channel());
        }
    }

    /** Releases answers that can no longer be sent. */
    private void drop() {
        Exchange ex;
        while ((ex = outstanding.pollFirst()) != null) {
            if (ex.response != null) {
                ex.response.release();
                ex.response = null;
            }
        }
    }

    /** A request body over maxPayloadBytes, rejected without reading it (see {@link HttpRequestParser}). */
    private void rejectOversized(final GatewayRequest req) {
        final String path = originForm(req.uri);
        String name = null;
        if (path != null && path.startsWith(FUNCTION_PREFIX)) {
            final int q = path.indexOf('?');
            name = path.substring(FUNCTION_PREFIX.length(), q < 0 ? path.length() : q);
        }
        head = false; // a request with a body too large to read is not answered as a HEAD
        final Exchange ex = begin(new Exchange(this, System.nanoTime(), req.version, req.keepAlive, router.stats().of(name)));
        complete(ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload too large: the request body exceeds maxPayloadBytes="
            + router.context().maxPayloadBytes());
    }

    @Override
    public void channelInactive(final ChannelHandlerContext context) throws Exception {
        drop();
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause) {
        // A broken client connection (reset, malformed framing the codec could not recover from) only ends itself.
        context.close();
    }
}
