package io.nightcorej.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's HTTP behaviour, socket-free: an {@link EmbeddedChannel} plays the client connection and another one
 * plays an engine connection (frames in, dispatches out).
 */
class GatewayHttpHandlerTest {

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (final EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    private static GatewayServer.Context context() {
        return new GatewayServer.Context()
            .maxRunningRequests(1).maxQueuedRequests(1).maxPayloadBytes(64).noEngineWaitMs(20)
            .functions(List.of(
                new FunctionRoute("Bar", 2, false, false, 10_000),
                new FunctionRoute("Query", 3, true, true, 10_000),
                new FunctionRoute("Slow", 4, false, false, 30),
                new FunctionRoute("PostQuery", 5, false, true, 10_000),
                new FunctionRoute("GetBody", 6, true, false, 10_000)))
            .conclude();
    }

    private EmbeddedChannel http(final CallRouter router) {
        final EmbeddedChannel ch = new EmbeddedChannel();
        GatewayHttpInitializer.addHandlers(ch.pipeline(), router);
        channels.add(ch);
        return ch;
    }

    private EmbeddedChannel engine(final CallRouter router, final int nodeId) {
        final EmbeddedChannel ch = new EmbeddedChannel(EngineConnectionInitializer.newFrameDecoder(1 << 20),
            new EngineConnectionHandler(router));
        channels.add(ch);
        ch.writeInbound(frame(EngineWire.ENGINE_HANDSHAKE, 0, 0, 0, "{\"nodeId\":" + nodeId + ",\"connId\":0}"));
        return ch;
    }

    private static ByteBuf frame(final int type, final int status, final long callId, final long time, final String payload) {
        final byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        final ByteBuf h = EngineWire.header(ByteBufAllocator.DEFAULT, type, 0, status, callId, time, p.length);
        return Unpooled.wrappedBuffer(h, Unpooled.wrappedBuffer(p));
    }

    private static void send(final EmbeddedChannel ch, final String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }

    /** Runs queued tasks (the gateway batches flushes into a task per event-loop pass) on every channel. */
    private void pump() {
        for (final EmbeddedChannel ch : channels) {
            ch.runPendingTasks();
        }
    }

    /** Everything the handler wrote back, as text. */
    private String output(final EmbeddedChannel ch) {
        pump();
        final StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    /** A dispatch the gateway sent to the engine: header and payload. */
    private record Dispatch(int type, int functionId, long callId, long budgetUs, String payload) {
    }

    private Dispatch dispatched(final EmbeddedChannel engine) {
        pump();
        final ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = engine.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        if (all.readableBytes() < EngineWire.HEADER_LENGTH) {
            return null;
        }
        final Dispatch d = new Dispatch(EngineWire.type(all), EngineWire.functionId(all), EngineWire.callId(all),
            EngineWire.time(all), all.toString(EngineWire.HEADER_LENGTH, EngineWire.payloadSize(all), StandardCharsets.UTF_8));
        all.release();
        return d;
    }

    private static String post(final String target, final String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void unknownFunctionIs404WithReason() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Nope", "x"));
        final String out = output(ch);
        assertThat(out).startsWith("HTTP/1.1 404 Not Found").contains("unknown function: Nope");
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void malformedRequestsAre400() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel garbage = http(router);
        send(garbage, "THIS IS NOT HTTP\r\n\r\n");
        assertThat(output(garbage)).startsWith("HTTP/1.1 400 Bad Request").contains("malformed");

        final EmbeddedChannel badChunks = http(router);
        send(badChunks, "POST /function/Bar HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n");
        assertThat(output(badChunks)).startsWith("HTTP/1.1 400 Bad Request");

        final EmbeddedChannel badMethod = http(router);
        send(badMethod, "PUT /function/Bar HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertThat(output(badMethod)).startsWith("HTTP/1.1 400 Bad Request").contains("method PUT not allowed");

        final EmbeddedChannel getNotAllowed = http(router);
        send(getNotAllowed, "GET /function/Bar HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(output(getNotAllowed)).startsWith("HTTP/1.1 400 Bad Request").contains("allowHttpGet is false");

        final EmbeddedChannel badPath = http(router);
        send(badPath, post("/function/", ""));
        assertThat(output(badPath)).startsWith("HTTP/1.1 400 Bad Request").contains("bad function path");
    }

    @Test
    void oversizedBodyIs413AndTheKeepAliveConnectionStaysUsable() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Bar", "x".repeat(100)));
        assertThat(output(ch)).startsWith("HTTP/1.1 413 Request Entity Too Large").contains("maxPayloadBytes=64");
        assertThat(ch.isActive()).isTrue();

        send(ch, post("/function/Bar", "hello"));
        final Dispatch d = dispatched(engine);
        assertThat(d.payload()).isEqualTo("hello");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 5, "hello"));
        assertThat(output(ch)).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nhello");
    }

    @Test
    void oversizedBodyWithExpectContinueIs413WithReasonAndNoBodyIsRead() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel ch = http(router);
        send(ch, "POST /function/Bar HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n");
        assertThat(output(ch)).startsWith("HTTP/1.1 413").contains("maxPayloadBytes=64");
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void oversizedChunkedBodyIs413AndClosesTheConnection() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel ch = http(router);
        send(ch, "POST /function/Bar HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n" + "y".repeat(80) + "\r\n0\r\n\r\n");
        assertThat(output(ch)).startsWith("HTTP/1.1 413").contains("connection: close");
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void absoluteFormTargetIsRoutedAndAnswered() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, post("http://127.0.0.1:8080/function/Bar", "abcde"));
        final Dispatch d = dispatched(engine);
        assertThat(d.type()).isEqualTo(EngineWire.DISPATCH_FUNC_CALL);
        assertThat(d.functionId()).isEqualTo(2);
        assertThat(d.budgetUs()).isBetween(1L, 10_000_000L);
        assertThat(d.payload()).isEqualTo("abcde");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 3, "edcba"));
        final String out = output(ch);
        assertThat(out).startsWith("HTTP/1.1 200 OK").contains("content-length: 5").endsWith("edcba");
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void getWithQueryStringBecomesJsonInput() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, "GET /function/Query?user=ann&n=3&q=a%20b HTTP/1.1\r\nHost: x\r\n\r\n");
        final Dispatch d = dispatched(engine);
        assertThat(d.payload()).isEqualTo("{\"user\":\"ann\",\"n\":\"3\",\"q\":\"a b\"}");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 3, "ok"));
        assertThat(output(ch)).startsWith("HTTP/1.1 200 OK").endsWith("ok");
    }

    @Test
    void postWithQsAsInputSendsTheQueryStringAsJsonAndIgnoresTheBody() {
        // NC's HotelReservation: POST /function/reservation?inDate=..&lat=nil.. with no body (wrk.format(.., nil)).
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, "POST /function/PostQuery?inDate=2015-04-09&lat=nil&name=Cornell_7&q=a+b%21 HTTP/1.1\r\nHost: x\r\n\r\n");
        Dispatch d = dispatched(engine);
        assertThat(d.functionId()).isEqualTo(5);
        assertThat(d.payload()).isEqualTo("{\"inDate\":\"2015-04-09\",\"lat\":\"nil\",\"name\":\"Cornell_7\",\"q\":\"a b!\"}");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 3, "{\"message\":\"ok\"}"));
        assertThat(output(ch)).startsWith("HTTP/1.1 200 OK").endsWith("{\"message\":\"ok\"}");

        // a body next to the query string is not the input; no query string at all is the empty object
        send(ch, post("http://localhost:8080/function/PostQuery?a=1&a=2", "body"));
        d = dispatched(engine);
        assertThat(d.payload()).isEqualTo("{\"a\":\"2\"}");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 3, "x"));
        send(ch, post("/function/PostQuery", "body"));
        d = dispatched(engine);
        assertThat(d.payload()).isEqualTo("{}");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 3, "y"));
        assertThat(output(ch)).contains("200 OK").endsWith("y");
        assertThat(ch.isActive()).isTrue();

        // GET stays refused without allowHttpGet, whatever qsAsInput says
        send(ch, "GET /function/PostQuery?a=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(output(ch)).startsWith("HTTP/1.1 400 Bad Request").contains("allowHttpGet is false");
        assertThat(dispatched(engine)).isNull();
    }

    @Test
    void getWithoutQsAsInputCallsWithAnEmptyInput() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, "GET /function/GetBody?ignored=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        final Dispatch d = dispatched(engine);
        assertThat(d.functionId()).isEqualTo(6);
        assertThat(d.payload()).isEmpty();
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 3, "ok"));
        assertThat(output(ch)).startsWith("HTTP/1.1 200 OK").endsWith("ok");
    }

    @Test
    void malformedQueryStringIs400AndNothingIsDispatched() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, "GET /function/Query?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(output(ch)).startsWith("HTTP/1.1 400 Bad Request").contains("malformed query string for /function/Query");
        send(ch, post("/function/PostQuery?inDate=2015-04-0%", "abc"));
        assertThat(output(ch)).startsWith("HTTP/1.1 400 Bad Request").contains("malformed query string for /function/PostQuery");
        assertThat(dispatched(engine)).isNull();
        // the keep-alive connection stays usable (the POST's body was read and released)
        assertThat(ch.isActive()).isTrue();
        send(ch, "GET /function/Query?q=ok HTTP/1.1\r\nHost: x\r\n\r\n");
        final Dispatch d = dispatched(engine);
        assertThat(d.payload()).isEqualTo("{\"q\":\"ok\"}");
    }

    @Test
    void admissionControlQueuesThenRefusesWith503() {
        final CallRouter router = new CallRouter(context()); // 1 running per engine, 1 queued
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel c1 = http(router);
        final EmbeddedChannel c2 = http(router);
        final EmbeddedChannel c3 = http(router);
        send(c1, post("/function/Bar", "one"));
        final Dispatch first = dispatched(engine);
        send(c2, post("/function/Bar", "two"));
        assertThat(dispatched(engine)).as("second call waits in the gateway FIFO").isNull();
        send(c3, post("/function/Bar", "three"));
        assertThat(output(c3)).startsWith("HTTP/1.1 503 Service Unavailable").contains("maxQueuedRequests");

        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, first.callId(), 1, "ONE"));
        assertThat(output(c1)).endsWith("ONE");
        final Dispatch second = dispatched(engine);
        assertThat(second.payload()).as("the freed slot goes to the queued call").isEqualTo("two");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, second.callId(), 1, "TWO"));
        assertThat(output(c2)).endsWith("TWO");
    }

    @Test
    void leastLoadedEngineIsPicked() {
        final GatewayServer.Context ctx = context().maxRunningRequests(0);
        final CallRouter router = new CallRouter(ctx);
        final EmbeddedChannel e1 = engine(router, 1);
        final EmbeddedChannel e2 = engine(router, 2);
        final EmbeddedChannel c1 = http(router);
        final EmbeddedChannel c2 = http(router);
        send(c1, post("/function/Bar", "a"));
        send(c2, post("/function/Bar", "b"));
        assertThat(dispatched(e1)).isNotNull();
        assertThat(dispatched(e2)).as("the idle engine takes the second call").isNotNull();
    }

    @Test
    void engineFailuresMapToHttpStatusesWithTheEnginesMessage() {
        final CallRouter router = new CallRouter(context().maxRunningRequests(0));
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Bar", "x"));
        engine.writeInbound(frame(EngineWire.FUNC_CALL_FAILED, 1, dispatched(engine).callId(), 0, "boom"));
        assertThat(output(ch)).startsWith("HTTP/1.1 500").contains("Bar: FAILED: boom");
        send(ch, post("/function/Bar", "x"));
        engine.writeInbound(frame(EngineWire.FUNC_CALL_FAILED, 4, dispatched(engine).callId(), 0, "worker 7 exited"));
        assertThat(output(ch)).startsWith("HTTP/1.1 502").contains("WORKER_DIED: worker 7 exited");
    }

    @Test
    void lostEngineConnectionFailsItsCallsWith502() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Bar", "x"));
        assertThat(dispatched(engine)).isNotNull();
        engine.close();
        assertThat(output(ch)).startsWith("HTTP/1.1 502").contains("lost the connection");
    }

    @Test
    void deadlineIs504AndTheLateAnswerIsDropped() throws Exception {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Slow", "x"));
        final Dispatch d = dispatched(engine);
        Thread.sleep(60);
        ch.runScheduledPendingTasks();
        assertThat(output(ch)).startsWith("HTTP/1.1 504").contains("deadline of 30 ms passed");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 1, "late"));
        assertThat(output(ch)).isEmpty();
        assertThat(router.inFlightCount()).isZero();
    }

    @Test
    void noEngineMeans503AfterABriefWait() throws Exception {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Bar", "x"));
        assertThat(output(ch)).isEmpty();
        Thread.sleep(40);
        ch.runScheduledPendingTasks();
        assertThat(output(ch)).startsWith("HTTP/1.1 503").contains("no engine connected");
    }

    @Test
    void callWaitingForAnEngineIsDispatchedWhenOneConnects() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Bar", "early"));
        final EmbeddedChannel engine = engine(router, 0);
        final Dispatch d = dispatched(engine);
        assertThat(d.payload()).isEqualTo("early");
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, d.callId(), 1, "ok"));
        assertThat(output(ch)).endsWith("ok");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        final CallRouter router = new CallRouter(context().maxRunningRequests(0));
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Bar", "1") + post("/function/Bar", "2"));
        pump();
        final ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = engine.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        final long id1 = EngineWire.callId(all);
        all.skipBytes(EngineWire.HEADER_LENGTH + 1);
        final long id2 = EngineWire.callId(all);
        all.release();
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, id2, 1, "second"));
        assertThat(output(ch)).as("the second answer waits for the first").isEmpty();
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, id1, 1, "first!"));
        final String out = output(ch);
        assertThat(out.indexOf("first!")).isPositive().isLessThan(out.indexOf("second"));
    }

    @Test
    void statsAndMetricsIncludeEngineReplies() {
        final CallRouter router = new CallRouter(context());
        final EmbeddedChannel engine = engine(router, 0);
        final EmbeddedChannel ch = http(router);
        send(ch, post("/function/Bar", "x"));
        engine.writeInbound(frame(EngineWire.FUNC_CALL_COMPLETE, 0, dispatched(engine).callId(), 1, "y"));
        output(ch);
        send(ch, "GET /stats HTTP/1.1\r\nHost: x\r\n\r\n");
        final Dispatch req = dispatched(engine);
        assertThat(req.type()).isEqualTo(EngineWire.STATS_REQUEST);
        engine.writeInbound(frame(EngineWire.STATS_REPLY, 0, req.callId(), 0,
            "{\"nodeId\":0,\"functions\":{\"Bar\":{\"calls\":1,\"failures\":0,\"processing_us\":{\"p50\":12}}}}"));
        final String stats = output(ch);
        assertThat(stats).startsWith("HTTP/1.1 200 OK").contains("\"Bar\":{\"calls\":1,\"status\":{\"200\":1}")
            .contains("\"engines\":[{\"nodeId\":0");

        send(ch, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        final Dispatch req2 = dispatched(engine);
        engine.writeInbound(frame(EngineWire.STATS_REPLY, 0, req2.callId(), 0,
            "{\"nodeId\":0,\"functions\":{\"Bar\":{\"calls\":1,\"failures\":0,\"processing_us\":{\"p50\":12}}}}"));
        final String metrics = output(ch);
        assertThat(metrics).contains("nightcore_gateway_requests_total{function=\"Bar\",code=\"200\"} 1")
            .contains("nightcore_gateway_request_duration_seconds_count{function=\"Bar\"} 1")
            .contains("nightcore_engine_calls_total{node=\"0\",function=\"Bar\"} 1")
            .contains("nightcore_engine_processing_seconds{node=\"0\",function=\"Bar\",quantile=\"0.5\"} 1.2E-5");
    }

    @Test
    void originFormOfTargets() {
        assertThat(GatewayHttpHandler.originForm("/function/Foo")).isEqualTo("/function/Foo");
        assertThat(GatewayHttpHandler.originForm("http://127.0.0.1:8080/function/Foo?a=1")).isEqualTo("/function/Foo?a=1");
        assertThat(GatewayHttpHandler.originForm("HTTP://h")).isEqualTo("/");
        assertThat(GatewayHttpHandler.originForm("*")).isNull();
        assertThat(GatewayHttpHandler.originForm("ftp://h/function/Foo")).isNull();
    }
}
