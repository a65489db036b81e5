package io.nightcorej.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** The bytes of the gateway's hand-encoded responses, as a client reads them. */
class HttpResponsesTest {

    private static String encode(final HttpVersion v, final HttpResponseStatus s, final boolean keepAlive, final boolean head,
                                 final String body) {
        final ByteBuf out = HttpResponses.encode(ByteBufAllocator.DEFAULT, v, s, GatewayHttpHandler.OCTET_STREAM, keepAlive, head,
            Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1));
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Test
    void okKeepAliveIsStatusTypeLengthAndBody() {
        assertThat(encode(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, true, false, "hello")).isEqualTo(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 5\r\n\r\nhello");
    }

    @Test
    void closeAndHttp10KeepAliveAreAnnounced() {
        assertThat(encode(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, false, false, ""))
            .startsWith("HTTP/1.1 404 Not Found\r\n").contains("content-length: 0\r\nconnection: close\r\n\r\n");
        assertThat(encode(HttpVersion.HTTP_1_0, HttpResponseStatus.OK, true, false, "x"))
            .startsWith("HTTP/1.0 200 OK\r\n").endsWith("content-length: 1\r\nconnection: keep-alive\r\n\r\nx");
    }

    @Test
    void headGetsTheLengthButNoBody() {
        assertThat(encode(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, true, true, "no HEAD here"))
            .endsWith("content-length: 12\r\n\r\n");
    }

    @Test
    void largeBodiesAreChainedIntact() {
        final String big = "0123456789abcdef".repeat(1000);  // 16,000 bytes, above the copy threshold
        final String out = encode(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, true, false, big);
        assertThat(out).contains("content-length: 16000\r\n\r\n").endsWith(big);
        assertThat(out.length() - out.indexOf("\r\n\r\n") - 4).isEqualTo(16000);
    }

    @Test
    void decimalLengthsWithoutStrings() {
        for (final int v : new int[] {0, 7, 10, 99, 100, 4096, 1_000_000, Integer.MAX_VALUE}) {
            final ByteBuf b = Unpooled.buffer();
            HttpResponses.writeDecimal(b, v);
            assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo(Integer.toString(v));
            b.release();
        }
    }
}
