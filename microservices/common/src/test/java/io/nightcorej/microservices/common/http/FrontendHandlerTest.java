package io.nightcorej.microservices.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The front end's parsing and HTTP behaviour, driven with the exact bytes wrk2 and DeathStarBench's Lua scripts send,
 * through the real pipeline (codec, aggregator, handler) in an EmbeddedChannel.
 */
class FrontendHandlerTest {

    private final AtomicReference<HttpRequest> seen = new AtomicReference<>();
    private final List<Runnable> parked = new ArrayList<>();

    private EmbeddedChannel channel(final Executor workers, final int maxBody) {
        final Map<String, HttpEndpoint> endpoints = Map.of(
                "/wrk2-api/post/compose", request -> {
                    seen.set(request);
                    return HttpResponse.text(200, "Successfully upload post");
                },
                "/wrk2-api/home-timeline/read", request -> {
                    seen.set(request);
                    return HttpResponse.json(200, "[{\"user_id\":\"" + request.param("user_id") + "\"}]");
                },
                "/boom", request -> {
                    throw new IllegalStateException("handler exploded");
                });
        return new EmbeddedChannel(new HttpServerCodec(16384, 16384, 8192), new HttpObjectAggregator(maxBody),
                new FrontendHandler(endpoints, workers));
    }

    private EmbeddedChannel channel() {
        return channel(Runnable::run, 1024 * 1024);
    }

    /** Writes raw request bytes and decodes every response the channel wrote. */
    private static List<FullHttpResponse> exchange(final EmbeddedChannel ch, final String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        ch.runPendingTasks();
        final EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        Object out;
        while ((out = ch.readOutbound()) != null) {
            decoder.writeInbound(out);
        }
        final List<FullHttpResponse> responses = new ArrayList<>();
        FullHttpResponse r;
        while ((r = decoder.readInbound()) != null) {
            responses.add(r);
        }
        return responses;
    }

    private static String body(final FullHttpResponse r) {
        return r.content().toString(StandardCharsets.UTF_8);
    }

    private static String post(final String target, final String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: localhost:8080\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void composeBodyAsWrk2SendsItIsParsedWithoutPercentEncoding() {
        final String text = "aZ09 hello world @username_12 @username_7 http://abcdefghij/xyz?q=1 [x] \"quoted\" ü";
        final String body = "username=username_3&user_id=3&text=" + text
                + "&media_ids=[\"123456789012345678\",\"234\"]&media_types=[\"png\",\"png\"]&post_type=0";
        final List<FullHttpResponse> responses = exchange(channel(), post("http://localhost:8080/wrk2-api/post/compose", body));
        assertThat(responses).hasSize(1);
        assertThat(responses.get(0).status().code()).isEqualTo(200);
        assertThat(body(responses.get(0))).isEqualTo("Successfully upload post");
        final HttpRequest r = seen.get();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/wrk2-api/post/compose");
        assertThat(r.param("username")).isEqualTo("username_3");
        assertThat(r.param("text")).isEqualTo(text);
    }

    @Test
    void equalsSignsAfterTheFirstStayInTheValueAndPercentAndPlusDecodeLikeNginxLua() {
        exchange(channel(), post("/wrk2-api/post/compose", "text=a=b%20c+d%zz%4&x=%41%e2%9c%93&flag&&y="));
        final HttpRequest r = seen.get();
        assertThat(r.param("text")).isEqualTo("a=b c d%zz%4");
        assertThat(r.param("x")).isEqualTo("A✓");
        assertThat(r.param("flag")).isEqualTo("");
        assertThat(r.param("y")).isEqualTo("");
    }

    @Test
    void absoluteFormGetWithQueryKeepsAliveAcrossRequests() {
        final EmbeddedChannel ch = channel();
        final List<FullHttpResponse> responses = exchange(ch,
                "GET http://localhost:8080/wrk2-api/home-timeline/read?user_id=42&start=0&stop=10 HTTP/1.1\r\n"
                        + "Host: localhost:8080\r\n\r\n"
                        + "GET /wrk2-api/home-timeline/read?user_id=43&start=0&stop=10 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(responses).hasSize(2);
        assertThat(body(responses.get(0))).isEqualTo("[{\"user_id\":\"42\"}]");
        assertThat(body(responses.get(1))).isEqualTo("[{\"user_id\":\"43\"}]");
        assertThat(responses.get(0).headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(seen.get().param("stop")).isEqualTo("10");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void pipelinedResponsesKeepRequestOrderEvenWhenWorkersFinishOutOfOrder() {
        final EmbeddedChannel ch = channel(parked::add, 1024 * 1024);
        ch.writeInbound(Unpooled.copiedBuffer(
                "GET /wrk2-api/home-timeline/read?user_id=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /wrk2-api/home-timeline/read?user_id=2 HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.UTF_8));
        assertThat(parked).hasSize(1); // the second waits until the first is answered
        parked.remove(0).run();
        ch.runPendingTasks();
        assertThat(parked).hasSize(1);
        parked.remove(0).run();
        final List<FullHttpResponse> responses = exchange(ch, "");
        assertThat(responses).extracting(FrontendHandlerTest::body)
                .containsExactly("[{\"user_id\":\"1\"}]", "[{\"user_id\":\"2\"}]");
    }

    @Test
    void unknownPathIs404AndAThrowingEndpointIs500WithItsMessage() {
        final EmbeddedChannel ch = channel();
        final List<FullHttpResponse> notFound = exchange(ch, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(notFound.get(0).status().code()).isEqualTo(404);
        final List<FullHttpResponse> boom = exchange(ch, "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(boom.get(0).status().code()).isEqualTo(500);
        assertThat(body(boom.get(0))).isEqualTo("handler exploded");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void anOversizedBodyIs413() {
        final EmbeddedChannel ch = channel(Runnable::run, 64);
        final List<FullHttpResponse> responses = exchange(ch, post("/wrk2-api/post/compose", "text=" + "x".repeat(100)));
        assertThat(responses.get(0).status().code()).isEqualTo(413);
        assertThat(seen.get()).isNull();
    }

    @Test
    void aFullWorkerPoolIs503() {
        final EmbeddedChannel ch = channel(task -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        }, 1024);
        final List<FullHttpResponse> responses = exchange(ch, "GET /wrk2-api/home-timeline/read HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(responses.get(0).status().code()).isEqualTo(503);
    }

    @Test
    void http10WithoutKeepAliveClosesAfterTheResponse() {
        final EmbeddedChannel ch = channel();
        final List<FullHttpResponse> responses = exchange(ch, "GET /wrk2-api/home-timeline/read?user_id=5 HTTP/1.0\r\n\r\n");
        assertThat(responses.get(0).status().code()).isEqualTo(200);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void originFormReduction() {
        assertThat(FrontendHandler.originForm("http://localhost:8080/a/b?c=d")).isEqualTo("/a/b?c=d");
        assertThat(FrontendHandler.originForm("http://localhost:8080")).isEqualTo("/");
        assertThat(FrontendHandler.originForm("http://localhost:8080?x=1")).isEqualTo("/?x=1");
        assertThat(FrontendHandler.originForm("/plain?q=http://x/y")).isEqualTo("/plain?q=http://x/y");
    }
}
