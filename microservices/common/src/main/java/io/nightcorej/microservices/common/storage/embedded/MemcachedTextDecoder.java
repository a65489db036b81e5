package io.nightcorej.microservices.common.storage.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Decodes memcached's text (ASCII) protocol into {@link Command}s.
 *
 * <pre>
 *   retrieval:  get|gets &lt;key&gt;*\r\n
 *   storage:    set|add|replace|append|prepend &lt;key&gt; &lt;flags&gt; &lt;exptime&gt; &lt;bytes&gt; [noreply]\r\n&lt;data&gt;\r\n
 *               cas &lt;key&gt; &lt;flags&gt; &lt;exptime&gt; &lt;bytes&gt; &lt;cas unique&gt; [noreply]\r\n&lt;data&gt;\r\n
 *   others:     one line, e.g. delete &lt;key&gt; [noreply]\r\n, version\r\n
 * </pre>
 *
 * A storage command is emitted only once its data block has arrived. A data block over {@link #MAX_ITEM} bytes is
 * skipped as it streams in and reported as {@code SERVER_ERROR object too large for cache}, as memcached does; a line
 * over 2048 bytes is a client error and closes the connection. The binary protocol (first byte 0x80) is refused with a
 * clear error rather than misparsed.
 */
public final class MemcachedTextDecoder extends ByteToMessageDecoder {

    /** memcached's default item size limit ({@code -I 1m}). */
    static final int MAX_ITEM = 1024 * 1024;
    private static final int MAX_LINE = 2048;

    /**
     * One command line, and the data block for storage commands.
     *
     * @param tokens the line split on spaces; tokens[0] is the command name in lower case.
     * @param data   the data block, or null.
     * @param error  a reply to send instead of running the command (e.g. too large), or null.
     */
    public record Command(String[] tokens, byte[] data, String error) {
    }

    private String[] storageLine;
    private int dataLength;
    private long skipRemaining;

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        while (in.isReadable()) {
            if (skipRemaining > 0) {
                final int n = (int) Math.min(skipRemaining, in.readableBytes());
                in.skipBytes(n);
                skipRemaining -= n;
                continue;
            }
            if (storageLine != null) {
                if (in.readableBytes() < dataLength + 2) {
                    return;
                }
                final byte[] data = new byte[dataLength];
                in.readBytes(data);
                final boolean terminated = in.readByte() == '\r' & in.readByte() == '\n';
                final String[] tokens = storageLine;
                storageLine = null;
                out.add(new Command(tokens, data, terminated ? null : "CLIENT_ERROR bad data chunk"));
                continue;
            }
            if (in.getByte(in.readerIndex()) == (byte) 0x80) {
                out.add(new Command(new String[] {"binary"}, null,
                        "SERVER_ERROR binary protocol not supported by the embedded server; use the text protocol"));
                in.skipBytes(in.readableBytes());
                return;
            }
            final int eol = in.forEachByte(ByteProcessor.FIND_LF);
            if (eol < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    out.add(new Command(new String[] {"toolong"}, null, "CLIENT_ERROR line too long"));
                    in.skipBytes(in.readableBytes());
                }
                return;
            }
            final int end = eol > in.readerIndex() && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
            final String line = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
            in.readerIndex(eol + 1);
            final String[] tokens = line.trim().split(" +");
            if (tokens.length == 0 || tokens[0].isEmpty()) {
                out.add(new Command(new String[] {""}, null, "ERROR"));
                continue;
            }
            tokens[0] = tokens[0].toLowerCase(Locale.ROOT);
            if (isStorage(tokens[0])) {
                final int minTokens = "cas".equals(tokens[0]) ? 6 : 5;
                final long length;
                try {
                    length = tokens.length >= minTokens ? Long.parseLong(tokens[4]) : -1;
                } catch (final NumberFormatException e) {
                    out.add(new Command(tokens, null, "CLIENT_ERROR bad command line format"));
                    continue;
                }
                if (length < 0) {
                    out.add(new Command(tokens, null, "CLIENT_ERROR bad command line format"));
                    continue;
                }
                if (length > MAX_ITEM) {
                    skipRemaining = length + 2;
                    out.add(new Command(tokens, null, "SERVER_ERROR object too large for cache"));
                    continue;
                }
                storageLine = tokens;
                dataLength = (int) length;
                continue;
            }
            out.add(new Command(tokens, null, null));
        }
    }

    static boolean isStorage(final String name) {
        return switch (name) {
            case "set", "add", "replace", "append", "prepend", "cas" -> true;
            default -> false;
        };
    }
}
