package io.nightcorej.microservices.common.storage.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Redis client commands (RESP2 request framing) into {@code List<byte[]>} arguments.
 *
 * <pre>
 *   multibulk (what every client library sends):   *&lt;argc&gt;\r\n ( $&lt;len&gt;\r\n &lt;len bytes&gt;\r\n ){argc}
 *   inline (what a human types into nc/telnet):    PING\r\n
 * </pre>
 *
 * A command is emitted only when all of it has arrived; a partial one is left in the cumulation buffer, so pipelined
 * commands split anywhere by TCP decode correctly. Oversized or malformed framing is a protocol error: the decoder
 * throws {@link DecoderException} and the handler answers {@code -ERR Protocol error} and closes, as Redis does.
 */
public final class RespCommandDecoder extends ByteToMessageDecoder {

    /** Redis's own limits: 1M arguments, 512 MB per bulk string; ours are smaller, enough for timelines. */
    static final int MAX_ARGS = 1024 * 1024;
    static final int MAX_BULK = 64 * 1024 * 1024;
    static final int MAX_INLINE = 64 * 1024;

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        while (in.isReadable()) {
            final int start = in.readerIndex();
            final List<byte[]> command = in.getByte(start) == '*' ? decodeMultiBulk(in) : decodeInline(in);
            if (command == null) {
                in.readerIndex(start);
                return;
            }
            if (!command.isEmpty()) {
                out.add(command);
            }
        }
    }

    private static List<byte[]> decodeInline(final ByteBuf in) {
        final int eol = in.forEachByte(ByteProcessor.FIND_LF);
        if (eol < 0) {
            if (in.readableBytes() > MAX_INLINE) {
                throw new DecoderException("too big inline request");
            }
            return null;
        }
        final String line = in.toString(in.readerIndex(), eol - in.readerIndex(), StandardCharsets.ISO_8859_1).strip();
        in.readerIndex(eol + 1);
        final List<byte[]> args = new ArrayList<>();
        for (final String token : line.split("\\s+")) {
            if (!token.isEmpty()) {
                args.add(token.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return args;
    }

    private static List<byte[]> decodeMultiBulk(final ByteBuf in) {
        in.skipBytes(1);
        final long argc = readNumberLine(in);
        if (argc == Long.MIN_VALUE) {
            return null;
        }
        if (argc > MAX_ARGS) {
            throw new DecoderException("invalid multibulk length");
        }
        final List<byte[]> args = new ArrayList<>((int) Math.max(argc, 0));
        for (long i = 0; i < argc; i++) {
            if (!in.isReadable()) {
                return null;
            }
            if (in.readByte() != '$') {
                throw new DecoderException("expected '$', got something else");
            }
            final long len = readNumberLine(in);
            if (len == Long.MIN_VALUE) {
                return null;
            }
            if (len < 0 || len > MAX_BULK) {
                throw new DecoderException("invalid bulk length");
            }
            if (in.readableBytes() < len + 2) {
                return null;
            }
            final byte[] arg = new byte[(int) len];
            in.readBytes(arg);
            in.skipBytes(2);
            args.add(arg);
        }
        return args;
    }

    /** @return the number on the rest of the line, or {@code Long.MIN_VALUE} if the line is incomplete. */
    private static long readNumberLine(final ByteBuf in) {
        final int eol = in.forEachByte(ByteProcessor.FIND_LF);
        if (eol < 0) {
            if (in.readableBytes() > 32) {
                throw new DecoderException("invalid length line");
            }
            return Long.MIN_VALUE;
        }
        final int end = eol > in.readerIndex() && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        final String digits = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.US_ASCII);
        in.readerIndex(eol + 1);
        try {
            return Long.parseLong(digits);
        } catch (final NumberFormatException e) {
            throw new DecoderException("invalid length '" + digits + "'");
        }
    }
}
