package io.nightcorej.ipc;

import org.agrona.MutableDirectBuffer;

import java.io.IOException;

/** The reading end of a message channel; used by exactly one thread. */
public interface MessageReceiver extends AutoCloseable {

    /**
     * Waits for the next message. An idle receiver waits indefinitely (an idle worker has nothing else to do);
     * {@link #close()} from any thread ends the wait.
     *
     * @param buffer receives {@link io.nightcorej.protocol.Message#LENGTH} bytes.
     * @param offset where to put them.
     * @return true with a message, false once the receiver is closed.
     * @throws IOException when the channel breaks.
     */
    boolean receive(MutableDirectBuffer buffer, int offset) throws IOException;

    /**
     * Like {@link #receive(MutableDirectBuffer, int)}, but a receiver that can busy-poll (shm) polls for {@code spinMicros}
     * instead of its configured spin before it sleeps: for a wait whose answer is known to be close.
     *
     * @param buffer     receives the message.
     * @param offset     where to put it.
     * @param spinMicros how long to poll before sleeping (ignored by kinds that cannot poll cheaply, i.e. FIFOs); 0
     *                   sleeps at once, and such a wait does not count in the shm receiver's adaptive spin history.
     * @return true with a message, false once the receiver is closed.
     * @throws IOException when the channel breaks.
     */
    default boolean receive(final MutableDirectBuffer buffer, final int offset, final int spinMicros) throws IOException {
        return receive(buffer, offset);
    }

    /**
     * Whether the next {@link #receive} returns at once because a message was already read ahead. A receiver that
     * handles a burst can use this to defer work (e.g. coalesce writes) until the burst is over. Never blocks.
     *
     * @return true when a message is buffered; false when the next receive may wait (or this kind cannot tell).
     */
    default boolean hasPending() {
        return false;
    }

    /** Closes the receiver; a thread blocked in {@link #receive} returns false. */
    @Override
    void close();
}
