package io.nightcorej.gateway;

import java.util.ArrayList;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Batches flushes per event loop: a channel written to during one pass of the loop is flushed once, by a task that
 * runs after the loop has processed every ready socket of that pass. Under load, many HTTP requests read in one pass
 * reach the engine in one {@code writev} instead of one syscall each, and the engine's answers to many clients are
 * flushed after the whole engine frame batch is parsed. With one request at a time it costs one queued task.
 *
 * <p>Call only from the channel's own event loop.
 */
final class FlushBatcher implements Runnable {

    private static final FastThreadLocal<FlushBatcher> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected FlushBatcher initialValue() {
            return new FlushBatcher();
        }
    };

    private final ArrayList<Channel> pending = new ArrayList<>(16);
    private boolean scheduled;

    private FlushBatcher() {
    }

    /** Flushes {@code channel} at the end of the current event-loop pass. */
    static void flushLater(final Channel channel) {
        final FlushBatcher b = PER_LOOP.get();
        final ArrayList<Channel> p = b.pending;
        for (int i = 0, n = p.size(); i < n; i++) {
            if (p.get(i) == channel) {
                return;
            }
        }
        p.add(channel);
        if (!b.scheduled) {
            b.scheduled = true;
            channel.eventLoop().execute(b);
        }
    }

    @Override
    public void run() {
        scheduled = false;
        final ArrayList<Channel> p = pending;
        for (int i = 0; i < p.size(); i++) {
            p.get(i).flush();
        }
        p.clear();
    }
}
