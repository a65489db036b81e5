package io.nightcorej.microservices.common.storage.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs memcached text-protocol commands against the shared {@link MemcachedItems} and writes the replies, flushing once
 * per read batch. Supports {@code get gets set add replace append prepend cas delete incr decr touch flush_all version
 * stats verbosity quit}, each with {@code noreply} where memcached allows it. Keys longer than 250 bytes are refused
 * with memcached's {@code CLIENT_ERROR}.
 */
public final class MemcachedCommandHandler extends ChannelInboundHandlerAdapter {

    static final String VERSION = "1.6.18";
    private static final int MAX_KEY = 250;
    private static final byte[] CRLF = {'\r', '\n'};

    private final MemcachedItems items;
    private ByteBuf pending;

    MemcachedCommandHandler(final MemcachedItems items) {
        this.items = items;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final MemcachedTextDecoder.Command command = (MemcachedTextDecoder.Command) msg;
        if (pending == null) {
            pending = ctx.alloc().ioBuffer();
        }
        final String[] t = command.tokens();
        if (command.error() != null) {
            line(command.error());
            if ("binary".equals(t[0]) || "toolong".equals(t[0])) {
                flushAndClose(ctx);
            }
            return;
        }
        switch (t[0]) {
            case "get", "gets" -> retrieve(t, "gets".equals(t[0]));
            case "set", "add", "replace", "append", "prepend", "cas" -> store(t, command.data());
            case "delete" -> {
                if (t.length < 2 || badKey(t[1])) {
                    line("CLIENT_ERROR bad command line format");
                    return;
                }
                final String reply = items.delete(t[1]) ? "DELETED" : "NOT_FOUND";
                if (!noreply(t)) {
                    line(reply);
                }
            }
            case "incr", "decr" -> incrDecr(t);
            case "touch" -> {
                if (t.length < 3 || badKey(t[1])) {
                    line("CLIENT_ERROR bad command line format");
                    return;
                }
                final long exptime;
                try {
                    exptime = Long.parseLong(t[2]);
                } catch (final NumberFormatException e) {
                    line("CLIENT_ERROR invalid exptime argument");
                    return;
                }
                final String reply = items.touch(t[1], exptime) ? "TOUCHED" : "NOT_FOUND";
                if (!noreply(t)) {
                    line(reply);
                }
            }
            case "flush_all" -> {
                items.flushAll();
                if (!noreply(t)) {
                    line("OK");
                }
            }
            case "version" -> line("VERSION " + VERSION);
            case "verbosity" -> {
                if (!noreply(t)) {
                    line("OK");
                }
            }
            case "stats" -> {
                line("STAT version " + VERSION);
                line("STAT nightcorej_embedded 1");
                for (final Map.Entry<String, Long> e : items.stats().entrySet()) {
                    line("STAT " + e.getKey() + " " + e.getValue());
                }
                line("END");
            }
            case "quit" -> flushAndClose(ctx);
            default -> line("ERROR");
        }
    }

    private void retrieve(final String[] t, final boolean withCas) {
        if (t.length < 2) {
            line("ERROR");
            return;
        }
        for (int i = 1; i < t.length; i++) {
            if (badKey(t[i])) {
                line("CLIENT_ERROR bad command line format");
                return;
            }
        }
        for (int i = 1; i < t.length; i++) {
            final MemcachedItems.Item item = items.get(t[i]);
            if (item != null) {
                ascii("VALUE " + t[i] + " " + Integer.toUnsignedString(item.flags()) + " " + item.data().length
                        + (withCas ? " " + item.cas() : ""));
                pending.writeBytes(CRLF).writeBytes(item.data()).writeBytes(CRLF);
            }
        }
        line("END");
    }

    private void store(final String[] t, final byte[] data) {
        final boolean cas = "cas".equals(t[0]);
        if (badKey(t[1])) {
            line("CLIENT_ERROR bad command line format");
            return;
        }
        final int flags;
        final long exptime;
        final long casUnique;
        try {
            flags = (int) Long.parseLong(t[2]);
            exptime = Long.parseLong(t[3]);
            casUnique = cas ? Long.parseLong(t[5]) : 0;
        } catch (final NumberFormatException e) {
            line("CLIENT_ERROR bad command line format");
            return;
        }
        final MemcachedItems.Outcome outcome = items.store(t[0], t[1], flags, exptime, data, casUnique);
        if (!noreply(t)) {
            line(outcome.name());
        }
    }

    private void incrDecr(final String[] t) {
        if (t.length < 3 || badKey(t[1])) {
            line("CLIENT_ERROR bad command line format");
            return;
        }
        final long delta;
        try {
            delta = Long.parseUnsignedLong(t[2]);
        } catch (final NumberFormatException e) {
            line("CLIENT_ERROR invalid numeric delta argument");
            return;
        }
        String reply;
        try {
            reply = items.incrDecr(t[1], "incr".equals(t[0]), delta);
            if (reply == null) {
                reply = "NOT_FOUND";
            }
        } catch (final NumberFormatException e) {
            reply = "CLIENT_ERROR cannot increment or decrement non-numeric value";
        }
        if (!noreply(t)) {
            line(reply);
        }
    }

    private static boolean noreply(final String[] t) {
        return "noreply".equals(t[t.length - 1]);
    }

    private static boolean badKey(final String key) {
        return key.length() > MAX_KEY;
    }

    private void ascii(final String s) {
        pending.writeCharSequence(s, StandardCharsets.ISO_8859_1);
    }

    private void line(final String s) {
        ascii(s);
        pending.writeBytes(CRLF);
    }

    private void flushAndClose(final ChannelHandlerContext ctx) {
        final ByteBuf reply = pending;
        pending = null;
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        if (pending != null) {
            final ByteBuf reply = pending;
            pending = null;
            ctx.writeAndFlush(reply);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        ctx.close();
    }
}
