package io.nightcorej.gateway;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Encodes the gateway's responses straight into bytes, without building a {@code FullHttpResponse} and its header map
 * and running Netty's {@code HttpResponseEncoder} over it. Every response the gateway sends has the same shape:
 *
 * <pre>
 *   HTTP/1.1 200 OK\r\n                      status line
 *   content-type: application/octet-stream\r\n
 *   content-length: 5\r\n
 *   [connection: close | keep-alive\r\n]     close when the client asked for it or on error; keep-alive for HTTP/1.0
 *   \r\n
 *   hello                                    body (omitted for HEAD, content-length kept)
 * </pre>
 *
 * so everything up to the length digits is a constant per (version, status, content type), and the hot one
 * (HTTP/1.1 200 octet-stream) is encoded once. A small body is copied behind the header into one pooled buffer, so a
 * response is one buffer and one {@code send}; a large body is not copied but chained behind the header (one
 * {@code writev}).
 */
final class HttpResponses {

    /** Bodies up to this size are copied next to the header; larger ones are chained without a copy. */
    static final int COPY_THRESHOLD = 4096;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONNECTION_CLOSE = ascii("connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("connection: keep-alive\r\n");
    private static final byte[] OK_OCTET_STREAM_11 = prefix(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, GatewayHttpHandler.OCTET_STREAM);

    private HttpResponses() {
    }

    /**
     * @param alloc       the channel's allocator.
     * @param version     the request's version (the response uses the same).
     * @param status      the status.
     * @param contentType the content-type value.
     * @param keepAlive   false adds {@code connection: close}; true on HTTP/1.0 adds {@code connection: keep-alive}.
     * @param head        whether the request was HEAD (no body is sent).
     * @param body        the body; ownership passes to this method (released or made part of the result).
     * @return the whole response as one buffer.
     */
    static ByteBuf encode(final ByteBufAllocator alloc, final HttpVersion version, final HttpResponseStatus status,
                          final AsciiString contentType, final boolean keepAlive, final boolean head, final ByteBuf body) {
        final byte[] prefix = version == HttpVersion.HTTP_1_1 && status == HttpResponseStatus.OK
            && contentType == GatewayHttpHandler.OCTET_STREAM ? OK_OCTET_STREAM_11 : prefix(version, status, contentType);
        final byte[] connection = !keepAlive ? CONNECTION_CLOSE : version == HttpVersion.HTTP_1_0 ? CONNECTION_KEEP_ALIVE : null;
        final int length = body.readableBytes();
        final boolean copy = head || length <= COPY_THRESHOLD;
        final int headerSize = prefix.length + 10 + 2 + (connection == null ? 0 : connection.length) + 2;
        final ByteBuf out = alloc.ioBuffer(headerSize + (copy && !head ? length : 0));
        out.writeBytes(prefix);
        writeDecimal(out, length);
        out.writeBytes(CRLF);
        if (connection != null) {
            out.writeBytes(connection);
        }
        out.writeBytes(CRLF);
        if (head) {
            body.release();
            return out;
        }
        if (copy) {
            out.writeBytes(body, body.readerIndex(), length);
            body.release();
            return out;
        }
        final CompositeByteBuf both = alloc.compositeDirectBuffer(2);
        both.addComponents(true, out, body);
        return both;
    }

    /** @return {@code "HTTP/1.1 404 Not Found\r\ncontent-type: ...\r\ncontent-length: "}. */
    private static byte[] prefix(final HttpVersion version, final HttpResponseStatus status, final AsciiString contentType) {
        return ascii(version.text() + ' ' + status.codeAsText() + ' ' + status.reasonPhrase() + "\r\ncontent-type: " + contentType
            + "\r\ncontent-length: ");
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes a non-negative int in decimal without creating a String. */
    static void writeDecimal(final ByteBuf out, final int value) {
        if (value < 10) {
            out.writeByte('0' + value);
            return;
        }
        int divisor = 1;
        while (value / divisor >= 10) {
            divisor *= 10;
        }
        int rest = value;
        while (divisor > 0) {
            out.writeByte('0' + rest / divisor);
            rest %= divisor;
            divisor /= 10;
        }
    }
}
