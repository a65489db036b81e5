package io.nightcorej.loadgen.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

/** The response framer, socket-free: where each response ends, whatever the framing and however the bytes arrive. */
class HttpResponseParserTest {
    private final List<Integer> statuses = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseParser(statuses::add));

    private void feed(final String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
    }

    @Test
    void contentLengthBodiesSplitAcrossReadsAndBackToBack() {
        final String two = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\nX-A: b\r\n\r\nhelloHTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n";
        for (int i = 0; i < two.length(); i += 7) {
            feed(two.substring(i, Math.min(two.length(), i + 7)));
        }
        assertThat(statuses).containsExactly(200, 503);
    }

    @Test
    void chunkedBodiesWithTrailersInterimResponsesAndBodilessStatuses() {
        feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n");
        feed("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n");
        assertThat(statuses).containsExactly(200, 204, 304);
    }

    @Test
    void aBodyWithoutLengthEndsAtClose() {
        feed("HTTP/1.0 200 OK\r\n\r\nsome bytes");
        assertThat(statuses).isEmpty();
        ch.finish();
        assertThat(statuses).containsExactly(200);
    }

    @Test
    void malformedInputIsAnError() {
        assertThatThrownBy(() -> feed("SMTP ready\r\n")).isInstanceOf(DecoderException.class);
        final EmbeddedChannel other = new EmbeddedChannel(new HttpResponseParser(statuses::add));
        assertThatThrownBy(() -> other.writeInbound(Unpooled.copiedBuffer(
            "HTTP/1.1 200 OK\r\nContent-Length: x1\r\n\r\n", StandardCharsets.ISO_8859_1))).isInstanceOf(DecoderException.class);
    }
}
