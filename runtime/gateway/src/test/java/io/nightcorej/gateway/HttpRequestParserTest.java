package io.nightcorej.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's request parser on its own: framing, keep-alive rules, limits, and requests split across reads. */
class HttpRequestParserTest {

    private final List<GatewayRequest> seen = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestParser(64));

    @AfterEach
    void release() {
        for (final GatewayRequest r : seen) {
            r.body.release();
        }
        ch.finishAndReleaseAll();
    }

    private List<GatewayRequest> feed(final String... parts) {
        for (final String p : parts) {
            ch.writeInbound(Unpooled.copiedBuffer(p, StandardCharsets.ISO_8859_1));
        }
        final List<GatewayRequest> out = new ArrayList<>();
        GatewayRequest r;
        while ((r = ch.readInbound()) != null) {
            out.add(r);
            seen.add(r);
        }
        return out;
    }

    private static String body(final GatewayRequest r) {
        return r.body.toString(StandardCharsets.ISO_8859_1);
    }

    private String written() {
        final StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void requestSplitAtEveryByteIsParsedOnce() {
        final String req = "POST /function/Bar HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
        final List<GatewayRequest> out = new ArrayList<>();
        for (int i = 0; i < req.length(); i++) {
            out.addAll(feed(req.substring(i, i + 1)));
        }
        assertThat(out).hasSize(1);
        final GatewayRequest r = out.get(0);
        assertThat(r.method).isEqualTo(HttpMethod.POST);
        assertThat(r.uri).isEqualTo("/function/Bar");
        assertThat(r.version).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.keepAlive).isTrue();
        assertThat(body(r)).isEqualTo("hello");
    }

    @Test
    void pipelinedRequestsInOneReadComeOutInOrder() {
        final List<GatewayRequest> out = feed("POST /a HTTP/1.1\r\ncontent-length: 1\r\n\r\n1"
            + "GET /b?x=1 HTTP/1.1\r\n\r\n"
            + "POST http://h:1/c HTTP/1.1\r\nCONTENT-LENGTH: 2\r\nConnection: close\r\n\r\n22");
        assertThat(out).extracting(r -> r.uri).containsExactly("/a", "/b?x=1", "http://h:1/c");
        assertThat(out).extracting(HttpRequestParserTest::body).containsExactly("1", "", "22");
        assertThat(out).extracting(r -> r.keepAlive).containsExactly(true, true, false);
    }

    @Test
    void http10KeepsTheConnectionOnlyWhenAsked() {
        final List<GatewayRequest> out = feed("POST /a HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
            "POST /a HTTP/1.0\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n");
        assertThat(out).extracting(r -> r.version).containsOnly(HttpVersion.HTTP_1_0);
        assertThat(out).extracting(r -> r.keepAlive).containsExactly(false, true);
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsJoined() {
        final List<GatewayRequest> out = feed("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n",
            "2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n", "POST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\nz");
        assertThat(out).extracting(HttpRequestParserTest::body).containsExactly("abcde", "z");
        assertThat(out.get(0).malformed).isNull();
    }

    @Test
    void expectContinueGetsA100AndTheBodyIsRead() {
        final List<GatewayRequest> first = feed("POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        assertThat(first).isEmpty();
        assertThat(written()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(feed("abc")).extracting(HttpRequestParserTest::body).containsExactly("abc");
    }

    @Test
    void oversizedAnnouncedBodyIsSkippedAndTheNextRequestParsed() {
        final List<GatewayRequest> out = feed("POST /a HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + "x".repeat(60),
            "x".repeat(40) + "POST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\nk");
        assertThat(out).hasSize(2);
        assertThat(out.get(0).oversized).isTrue();
        assertThat(out.get(0).keepAlive).isTrue();
        assertThat(out.get(1).uri).isEqualTo("/b");
        assertThat(body(out.get(1))).isEqualTo("k");
    }

    @Test
    void malformedInputIsReportedOnceAndTheRestDiscarded() {
        assertThat(feed("GET / HTTP/1.1\r\nno colon here\r\n\r\n", "POST /x HTTP/1.1\r\n\r\n"))
            .singleElement().satisfies(r -> assertThat(r.malformed).contains("header line"));
    }

    @Test
    void badLengthsVersionsAndHeadsAre400() {
        for (final String bad : List.of(
            "POST /a HTTP/1.1\r\nContent-Length: 5x\r\n\r\n",
            "POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST /a HTTP/2.0\r\n\r\n",
            "POST /a\r\n\r\n",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST /a HTTP/1.1\r\nX: " + "y".repeat(HttpRequestParser.MAX_HEAD_BYTES) + "\r\n\r\n")) {
            final EmbeddedChannel c = new EmbeddedChannel(new HttpRequestParser(64));
            c.writeInbound(Unpooled.copiedBuffer(bad, StandardCharsets.ISO_8859_1));
            final GatewayRequest r = c.readInbound();
            final String what = bad.substring(0, Math.min(bad.length(), 60));
            assertThat(r).as(what).isNotNull();
            assertThat(r.malformed).as(what).isNotNull();
            c.finishAndReleaseAll();
        }
    }
}
