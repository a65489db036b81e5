package io.nightcorej.loadgen.engine;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

/**
 * A lean HTTP/1.1 response framer for a load generator: it finds where each response ends and reports its status,
 * and throws the rest away. No header or body objects are built (Netty's {@code HttpResponseDecoder} allocates a
 * response, a header map and content objects per response, which costs more than the rest of a send/receive).
 *
 * <pre>
 *   STATUS_LINE  "HTTP/1.x SSS ..."            (1xx interim responses are skipped)
 *   HEADERS      Content-Length | Transfer-Encoding: chunked; others ignored (a server close is seen by the engine)
 *   body         Content-Length bytes | chunks (size CRLF data CRLF ... 0 CRLF trailers CRLF) | until close
 *                (none for 204, 304)
 * </pre>
 * Malformed input (a line over 8 KiB, a bad status line or length) raises {@link DecoderException}; the engine then
 * counts an error and reconnects.
 */
final class HttpResponseParser extends ByteToMessageDecoder {
    /** Receives each complete response. */
    interface Listener {
        /**
         * @param status HTTP status code.
         */
        void onResponse(int status);
    }

    private static final int MAX_LINE = 8192;
    private static final int STATUS_LINE = 0;
    private static final int HEADERS = 1;
    private static final int BODY = 2;
    private static final int CHUNK_SIZE = 3;
    private static final int CHUNK_DATA = 4;
    private static final int TRAILERS = 5;
    private static final int UNTIL_CLOSE = 6;

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Listener listener;
    private int state = STATUS_LINE;
    private int status;
    private long contentLength;
    private boolean chunked;
    private long remaining;

    HttpResponseParser(final Listener listener) {
        this.listener = listener;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        while (in.isReadable()) {
            switch (state) {
                case STATUS_LINE -> {
                    final int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    parseStatusLine(in, eol);
                    contentLength = -1;
                    chunked = false;
                    state = HEADERS;
                }
                case HEADERS -> {
                    final int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    final int start = in.readerIndex();
                    final int len = contentEnd(in, start, eol) - start;
                    in.readerIndex(eol + 1);
                    if (len == 0) {
                        endOfHeaders();
                    } else {
                        header(in, start, len);
                    }
                }
                case BODY, CHUNK_DATA -> {
                    final int n = (int) Math.min(remaining, in.readableBytes());
                    in.skipBytes(n);
                    remaining -= n;
                    if (remaining > 0) {
                        return;
                    }
                    if (state == BODY) {
                        complete();
                    } else {
                        state = CHUNK_SIZE;
                    }
                }
                case CHUNK_SIZE -> {
                    final int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    final long size = parseHex(in, in.readerIndex(), contentEnd(in, in.readerIndex(), eol));
                    in.readerIndex(eol + 1);
                    if (size == 0) {
                        state = TRAILERS;
                    } else {
                        remaining = size + 2;
                        state = CHUNK_DATA;
                    }
                }
                case TRAILERS -> {
                    final int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    final boolean empty = contentEnd(in, in.readerIndex(), eol) == in.readerIndex();
                    in.readerIndex(eol + 1);
                    if (empty) {
                        complete();
                    }
                }
                default -> in.skipBytes(in.readableBytes());
            }
        }
    }

    @Override
    protected void decodeLast(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (state == UNTIL_CLOSE) {
            complete();
        }
    }

    private void endOfHeaders() {
        if (status / 100 == 1) {
            state = STATUS_LINE;
        } else if (status == 204 || status == 304) {
            complete();
        } else if (chunked) {
            state = CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = BODY;
            if (remaining == 0) {
                complete();
            }
        } else {
            state = UNTIL_CLOSE;
        }
    }

    private void complete() {
        state = STATUS_LINE;
        listener.onResponse(status);
    }

    private void parseStatusLine(final ByteBuf in, final int eol) {
        final int start = in.readerIndex();
        if (eol - start < 12 || in.getByte(start) != 'H' || in.getByte(start + 4) != '/' || in.getByte(start + 8) != ' ') {
            throw new DecoderException("malformed status line");
        }
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            final byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                throw new DecoderException("malformed status code");
            }
            code = code * 10 + (b - '0');
        }
        status = code;
        in.readerIndex(eol + 1);
    }

    private void header(final ByteBuf in, final int start, final int len) {
        int colon = -1;
        for (int i = 0; i < len; i++) {
            if (in.getByte(start + i) == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            throw new DecoderException("malformed header line");
        }
        if (nameIs(in, start, colon, CONTENT_LENGTH)) {
            long v = 0;
            boolean digits = false;
            for (int i = start + colon + 1; i < start + len; i++) {
                final byte b = in.getByte(i);
                if (b >= '0' && b <= '9') {
                    v = v * 10 + (b - '0');
                    digits = true;
                } else if (b != ' ' && b != '\t') {
                    throw new DecoderException("malformed Content-Length");
                }
            }
            if (!digits) {
                throw new DecoderException("empty Content-Length");
            }
            contentLength = v;
        } else if (nameIs(in, start, colon, TRANSFER_ENCODING)) {
            final String value = in.toString(start + colon + 1, len - colon - 1, java.nio.charset.StandardCharsets.US_ASCII);
            chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
        }
    }

    private static boolean nameIs(final ByteBuf in, final int start, final int len, final byte[] lowerName) {
        if (len != lowerName.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int b = in.getByte(start + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    private static long parseHex(final ByteBuf in, final int from, final int to) {
        long v = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            final byte b = in.getByte(i);
            final int d;
            if (b >= '0' && b <= '9') {
                d = b - '0';
            } else if (b >= 'a' && b <= 'f') {
                d = b - 'a' + 10;
            } else if (b >= 'A' && b <= 'F') {
                d = b - 'A' + 10;
            } else if (b == ';' || b == ' ') {
                break;
            } else {
                throw new DecoderException("malformed chunk size");
            }
            v = v * 16 + d;
            if (++digits > 15) {
                throw new DecoderException("chunk size too large");
            }
        }
        if (digits == 0) {
            throw new DecoderException("missing chunk size");
        }
        return v;
    }

    /** @return index of the LF ending the current line, or -1 if not yet received. */
    private static int lineEnd(final ByteBuf in) {
        final int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0 && in.readableBytes() > MAX_LINE) {
            throw new DecoderException("line longer than " + MAX_LINE + " bytes");
        }
        return eol;
    }

    /** @return the end of the line's content (before CR LF or LF). */
    private static int contentEnd(final ByteBuf in, final int start, final int eol) {
        return eol > start && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
    }
}
