package io.nightcorej.ipc;

import org.agrona.DirectBuffer;

import java.io.IOException;

/**
 * The writing end of a message channel. Thread-safe: several threads (and, for the engine's input, several processes)
 * may send on one channel; each message arrives whole.
 */
public interface MessageSender extends AutoCloseable {

    /**
     * Sends one {@link io.nightcorej.protocol.Message#LENGTH}-byte message.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @throws IOException when the receiver is gone or the channel stayed full past its timeout.
     */
    void send(DirectBuffer buffer, int offset) throws IOException;

    @Override
    void close();
}
