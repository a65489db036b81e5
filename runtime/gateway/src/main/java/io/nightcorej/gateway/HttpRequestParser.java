package io.nightcorej.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * HTTP/1.1 request parser for the gateway: bytes in, one {@link GatewayRequest} per request out, body included.
 *
 * <p>Netty's {@code HttpRequestDecoder} + {@code HttpObjectAggregator} build, per request, a request object, a header map
 * with an entry and two Strings per header, a content object and an aggregated composite buffer — about 600 of the
 * ~800 bytes of garbage the gateway made per call, and most of its Java CPU time. This parser reads the request line
 * and the headers straight from the receive buffer and looks at four header names only ({@code content-length},
 * {@code transfer-encoding}, {@code connection}, {@code expect}); the body is a retained slice of the receive buffer.
 * Per request it allocates the target String and the {@link GatewayRequest}.
 *
 * <pre>
 *   HEAD ──request line + headers complete──▶ Content-Length n ≤ max ─▶ BODY (n bytes) ─▶ request ─▶ HEAD
 *                                           ├ no body ───────────────────────────────────▶ request ─▶ HEAD
 *                                           ├ chunked ─▶ CHUNK_SIZE ⇄ CHUNK_DATA ─ 0 ─▶ TRAILERS ─▶ request ─▶ HEAD
 *                                           ├ n > max, keep-alive ─▶ 413 ─▶ SKIP_BODY (n bytes) ─▶ HEAD
 *                                           ├ n > max + Expect: 100-continue ─▶ 413 (the body is not sent) ─▶ HEAD
 *                                           └ n > max and close, chunked over max ─▶ 413 ─▶ DISCARD
 *   anything unparsable (request line, version, header line, length, chunk size, head over 16 KiB) ─▶ 400 ─▶ DISCARD
 * </pre>
 *
 * {@code Expect: 100-continue} with an acceptable length is answered with {@code 100 Continue} at once, as Netty's
 * aggregator does. Both CRLF and bare LF end lines; empty lines before a request line are skipped (RFC 9112 2.2).
 */
final class HttpRequestParser extends ByteToMessageDecoder {

    /** Request line plus headers; Netty's defaults are 4096 + 8192. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_CHUNK_LINE = 1024;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] EXPECT = ascii("expect");
    private static final byte[] HTTP_1_1 = ascii("HTTP/1.1");
    private static final byte[] HTTP_1_0 = ascii("HTTP/1.0");
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    private enum State { HEAD, BODY, SKIP_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, DISCARD }

    private final int maxPayloadBytes;
    private State state = State.HEAD;

    // The request whose body is being read.
    private HttpMethod method;
    private String uri;
    private HttpVersion version;
    private boolean keepAlive;
    private long remaining;
    private ByteBuf chunked;

    HttpRequestParser(final int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        while (true) {
            switch (state) {
                case HEAD:
                    if (!readHead(ctx, in, out)) {
                        return;
                    }
                    break;
                case BODY:
                    if (in.readableBytes() < remaining) {
                        return;
                    }
                    out.add(request(in.readRetainedSlice((int) remaining)));
                    state = State.HEAD;
                    break;
                case SKIP_BODY: {
                    final int n = (int) Math.min(remaining, in.readableBytes());
                    in.skipBytes(n);
                    remaining -= n;
                    if (remaining > 0) {
                        return;
                    }
                    state = State.HEAD;
                    break;
                }
                case CHUNK_SIZE:
                    if (!readChunkSize(in, out)) {
                        return;
                    }
                    break;
                case CHUNK_DATA: {
                    final int n = (int) Math.min(remaining, in.readableBytes());
                    chunked.writeBytes(in, n);
                    remaining -= n;
                    if (remaining > 0) {
                        return;
                    }
                    state = State.CHUNK_DATA_END;
                    break;
                }
                case CHUNK_DATA_END: {
                    final int eol = in.indexOf(in.readerIndex(), in.writerIndex(), LF);
                    if (eol < 0) {
                        if (in.readableBytes() > 1) {
                            malformed(in, out, "bad chunked body: no CRLF after a chunk's data");
                        }
                        return;
                    }
                    if (eol - in.readerIndex() > 1 || (eol - in.readerIndex() == 1 && in.getByte(in.readerIndex()) != CR)) {
                        malformed(in, out, "bad chunked body: no CRLF after a chunk's data");
                        return;
                    }
                    in.readerIndex(eol + 1);
                    state = State.CHUNK_SIZE;
                    break;
                }
                case TRAILERS:
                    if (!readTrailers(in, out)) {
                        return;
                    }
                    break;
                default: // DISCARD: after a 400 or a 413 that closes the connection nothing more is parsed
                    in.skipBytes(in.readableBytes());
                    return;
            }
        }
    }

    /** @return whether a whole head was consumed (false: wait for more bytes, or DISCARD). */
    private boolean readHead(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        int pos = in.readerIndex();
        final int end = in.writerIndex();
        while (pos < end && (in.getByte(pos) == CR || in.getByte(pos) == LF)) {
            pos++;
        }
        in.readerIndex(pos);
        if (pos == end) {
            return false;
        }
        final int lineEnd = in.indexOf(pos, end, LF);
        if (lineEnd < 0) {
            return tooLong(in, out, end - pos);
        }
        final int requestLine = pos;
        final int requestLineLength = contentLength(in, pos, lineEnd);
        long length = -1;
        boolean isChunked = false;
        boolean close = false;
        boolean keepAliveToken = false;
        boolean expectContinue = false;
        pos = lineEnd + 1;
        while (true) {
            final int eol = in.indexOf(pos, end, LF);
            if (eol < 0) {
                return tooLong(in, out, end - in.readerIndex());
            }
            final int len = contentLength(in, pos, eol);
            if (len == 0) {
                pos = eol + 1;
                break;
            }
            final int colon = in.indexOf(pos, pos + len, (byte) ':');
            final byte first = in.getByte(pos);
            if (first == ' ' || first == '\t') {
                pos = eol + 1; // obsolete line folding: continues a header this parser does not read
                continue;
            }
            if (colon <= pos) {
                malformed(in, out, "bad header line (no name or no colon)");
                return false;
            }
            final int nameLength = colon - pos;
            int vs = colon + 1;
            int ve = pos + len;
            while (vs < ve && isWhitespace(in.getByte(vs))) {
                vs++;
            }
            while (ve > vs && isWhitespace(in.getByte(ve - 1))) {
                ve--;
            }
            if (nameIs(in, pos, nameLength, CONTENT_LENGTH)) {
                final long v = parseLength(in, vs, ve);
                if (v < 0 || (length >= 0 && v != length)) {
                    malformed(in, out, "bad content-length: " + in.toString(vs, ve - vs, StandardCharsets.ISO_8859_1));
                    return false;
                }
                length = v;
            } else if (nameIs(in, pos, nameLength, TRANSFER_ENCODING)) {
                final String te = in.toString(vs, ve - vs, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (!te.endsWith("chunked")) {
                    malformed(in, out, "unsupported transfer-encoding: " + te);
                    return false;
                }
                isChunked = true;
            } else if (nameIs(in, pos, nameLength, CONNECTION)) {
                final String c = in.toString(vs, ve - vs, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                close |= c.contains("close");
                keepAliveToken |= c.contains("keep-alive");
            } else if (nameIs(in, pos, nameLength, EXPECT)) {
                expectContinue = in.toString(vs, ve - vs, StandardCharsets.ISO_8859_1).equalsIgnoreCase("100-continue");
            }
            pos = eol + 1;
        }
        if (pos - requestLine > MAX_HEAD_BYTES) {
            malformed(in, out, "request head larger than " + MAX_HEAD_BYTES + " bytes");
            return false;
        }
        if (!requestLine(in, requestLine, requestLineLength, out)) {
            return false;
        }
        in.readerIndex(pos);
        keepAlive = version == HttpVersion.HTTP_1_1 ? !close : keepAliveToken && !close;
        expectContinue &= version == HttpVersion.HTTP_1_1;
        if (isChunked) {
            if (expectContinue) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
            }
            chunked = ctx.alloc().buffer();
            state = State.CHUNK_SIZE;
        } else if (length > maxPayloadBytes) {
            if (expectContinue) {
                out.add(oversized(keepAlive)); // the client waits for 100 Continue and sends no body
            } else if (keepAlive) {
                out.add(oversized(true));
                remaining = length;
                state = State.SKIP_BODY;
            } else {
                out.add(oversized(false));
                state = State.DISCARD;
            }
        } else if (length > 0) {
            if (expectContinue && in.readableBytes() < length) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
            }
            remaining = length;
            state = State.BODY;
        } else {
            out.add(request(Unpooled.EMPTY_BUFFER));
        }
        return true;
    }

    /** Parses {@code METHOD SP target SP HTTP/1.x} into the fields; false (and 400) when it is not that. */
    private boolean requestLine(final ByteBuf in, final int start, final int length, final List<Object> out) {
        final int end = start + length;
        final int sp1 = in.indexOf(start, end, (byte) ' ');
        final int sp2 = sp1 < 0 ? -1 : in.indexOf(sp1 + 1, end, (byte) ' ');
        if (sp1 <= start || sp2 <= sp1 + 1) {
            malformed(in, out, "bad request line: " + in.toString(start, Math.min(length, 200), StandardCharsets.ISO_8859_1));
            return false;
        }
        if (bytesAre(in, sp2 + 1, end - sp2 - 1, HTTP_1_1)) {
            version = HttpVersion.HTTP_1_1;
        } else if (bytesAre(in, sp2 + 1, end - sp2 - 1, HTTP_1_0)) {
            version = HttpVersion.HTTP_1_0;
        } else {
            malformed(in, out, "unsupported HTTP version: "
                + in.toString(sp2 + 1, Math.min(end - sp2 - 1, 40), StandardCharsets.ISO_8859_1));
            return false;
        }
        method = method(in, start, sp1 - start);
        if (method == null) {
            malformed(in, out, "bad method: " + in.toString(start, Math.min(sp1 - start, 40), StandardCharsets.ISO_8859_1));
            return false;
        }
        uri = in.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        return true;
    }

    private static HttpMethod method(final ByteBuf in, final int start, final int length) {
        if (length == 4 && in.getInt(start) == ('P' << 24 | 'O' << 16 | 'S' << 8 | 'T')) {
            return HttpMethod.POST;
        }
        if (length == 3 && in.getMedium(start) == ('G' << 16 | 'E' << 8 | 'T')) {
            return HttpMethod.GET;
        }
        if (length == 4 && in.getInt(start) == ('H' << 24 | 'E' << 16 | 'A' << 8 | 'D')) {
            return HttpMethod.HEAD;
        }
        for (int i = start; i < start + length; i++) {
            final byte b = in.getByte(i);
            if (b <= ' ' || b >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(b) >= 0) {
                return null;
            }
        }
        return HttpMethod.valueOf(in.toString(start, length, StandardCharsets.US_ASCII));
    }

    /** @return whether the chunk-size line was consumed (false: wait for more bytes, or DISCARD). */
    private boolean readChunkSize(final ByteBuf in, final List<Object> out) {
        final int start = in.readerIndex();
        final int eol = in.indexOf(start, in.writerIndex(), LF);
        if (eol < 0) {
            if (in.readableBytes() > MAX_CHUNK_LINE) {
                malformed(in, out, "bad chunked body: chunk-size line too long");
            }
            return false;
        }
        long size = 0;
        int digits = 0;
        for (int i = start, e = start + contentLength(in, start, eol); i < e; i++) {
            final byte b = in.getByte(i);
            final int d = Character.digit(b, 16);
            if (d < 0) {
                if (b == ';' || b == ' ' || b == '\t') {
                    break; // chunk extensions are ignored
                }
                digits = 0;
                break;
            }
            size = size * 16 + d;
            if (++digits > 8) {
                break;
            }
        }
        if (digits == 0 || digits > 8) {
            malformed(in, out, "bad chunked body: bad chunk size");
            return false;
        }
        in.readerIndex(eol + 1);
        if (size == 0) {
            state = State.TRAILERS;
        } else if (chunked.readableBytes() + size > maxPayloadBytes) {
            // The rest of a streamed body cannot be skipped reliably: answer 413 and close, as Netty's aggregator does.
            chunked.release();
            chunked = null;
            out.add(oversized(false));
            in.skipBytes(in.readableBytes());
            state = State.DISCARD;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    /** @return whether the trailer section was consumed and the request emitted. */
    private boolean readTrailers(final ByteBuf in, final List<Object> out) {
        int pos = in.readerIndex();
        while (true) {
            final int eol = in.indexOf(pos, in.writerIndex(), LF);
            if (eol < 0) {
                return tooLong(in, out, in.writerIndex() - in.readerIndex());
            }
            final int len = contentLength(in, pos, eol);
            pos = eol + 1;
            if (len == 0) {
                break;
            }
        }
        in.readerIndex(pos);
        final ByteBuf body = chunked;
        chunked = null;
        out.add(request(body));
        state = State.HEAD;
        return true;
    }

    private GatewayRequest request(final ByteBuf body) {
        return new GatewayRequest(method, uri, version, keepAlive, body, null, false);
    }

    private GatewayRequest oversized(final boolean keep) {
        return new GatewayRequest(method, uri, version, keep, Unpooled.EMPTY_BUFFER, null, true);
    }

    private boolean tooLong(final ByteBuf in, final List<Object> out, final int headBytes) {
        if (headBytes > MAX_HEAD_BYTES) {
            malformed(in, out, "request head larger than " + MAX_HEAD_BYTES + " bytes");
        }
        return false;
    }

    private void malformed(final ByteBuf in, final List<Object> out, final String reason) {
        if (chunked != null) {
            chunked.release();
            chunked = null;
        }
        in.skipBytes(in.readableBytes());
        state = State.DISCARD;
        out.add(new GatewayRequest(null, null, HttpVersion.HTTP_1_1, false, Unpooled.EMPTY_BUFFER, reason, false));
    }

    @Override
    protected void handlerRemoved0(final ChannelHandlerContext ctx) {
        if (chunked != null) {
            chunked.release();
            chunked = null;
        }
    }

    /** @return the length of the line from {@code start} to the LF at {@code lf}, without a CR before the LF. */
    private static int contentLength(final ByteBuf in, final int start, final int lf) {
        return lf > start && in.getByte(lf - 1) == CR ? lf - 1 - start : lf - start;
    }

    private static boolean isWhitespace(final byte b) {
        return b == ' ' || b == '\t';
    }

    /** Case-insensitive comparison of a header name with a lower-case ASCII name. */
    private static boolean nameIs(final ByteBuf in, final int start, final int length, final byte[] lower) {
        if (length != lower.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            final byte b = in.getByte(start + i);
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean bytesAre(final ByteBuf in, final int start, final int length, final byte[] expected) {
        if (length != expected.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (in.getByte(start + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return the decimal value of bytes [start, end), or -1 when it is not a non-negative number up to 10^15. */
    private static long parseLength(final ByteBuf in, final int start, final int end) {
        if (end <= start || end - start > 15) {
            return -1;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            final byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
