package io.nightcorej.microservices.common.storage.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs decoded commands against the shared {@link RespDatabase} and writes the replies, one flush per read batch so a
 * pipelined burst (Jedis {@code Pipeline}) costs one write syscall. Handles the connection-level commands itself:
 * {@code MULTI} queues commands until {@code EXEC} runs them atomically, {@code DISCARD} drops them.
 */
public final class RespCommandHandler extends ChannelInboundHandlerAdapter {

    private final RespDatabase database;
    private final RespDatabase.Session session = new RespDatabase.Session();
    private List<List<byte[]>> transaction;
    private ByteBuf pending;

    /** @param database the data shared by all connections. */
    public RespCommandHandler(final RespDatabase database) {
        this.database = database;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final List<byte[]> args = (List<byte[]>) msg;
        if (pending == null) {
            pending = ctx.alloc().ioBuffer();
        }
        final String name = RespDatabase.str(args.get(0)).toUpperCase(Locale.ROOT);
        switch (name) {
            case "MULTI" -> {
                if (transaction != null) {
                    Resp.error(pending, "ERR MULTI calls can not be nested");
                } else {
                    transaction = new ArrayList<>();
                    Resp.simple(pending, "OK");
                }
            }
            case "EXEC" -> {
                if (transaction == null) {
                    Resp.error(pending, "ERR EXEC without MULTI");
                } else {
                    final List<List<byte[]>> queued = transaction;
                    transaction = null;
                    synchronized (database) {
                        Resp.arrayHeader(pending, queued.size());
                        for (final List<byte[]> command : queued) {
                            database.execute(command, session, pending);
                        }
                    }
                }
            }
            case "DISCARD" -> {
                if (transaction == null) {
                    Resp.error(pending, "ERR DISCARD without MULTI");
                } else {
                    transaction = null;
                    Resp.simple(pending, "OK");
                }
            }
            default -> {
                if (transaction != null) {
                    transaction.add(args);
                    Resp.simple(pending, "QUEUED");
                } else {
                    database.execute(args, session, pending);
                }
            }
        }
        if (session.quit) {
            final ByteBuf reply = pending;
            pending = null;
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        }
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
        if (cause instanceof DecoderException && ctx.channel().isActive()) {
            final ByteBuf reply = ctx.alloc().buffer();
            if (pending != null) {
                reply.writeBytes(pending);
                pending.release();
                pending = null;
            }
            Resp.error(reply, "ERR Protocol error: " + (cause.getCause() != null ? cause.getCause().getMessage()
                    : cause.getMessage()));
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
