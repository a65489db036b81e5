package io.nightcorej.ipc;

import io.nightcorej.protocol.Message;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads 1024-byte messages from a named pipe with blocking reads, up to {@link #BATCH} messages per {@code read}: a
 * receiver that falls behind (the engine input under load) takes a whole burst with one system call. Writers write whole
 * messages atomically (1024 &lt; PIPE_BUF), so a read returns whole messages; a partial tail is kept for the next read
 * anyway.
 *
 * <p>The pipe is opened read-write: on Linux that never blocks (a read-only open would wait for a writer) and the
 * reader never sees end-of-file when the last writer goes away, so a sender may come and go. The same descriptor lets
 * {@link #close()} wake a blocked reader by writing a message to its own pipe.
 */
final class FifoMessageReceiver implements MessageReceiver {

    private final Path path;
    private final FileChannel channel;
    /** A second descriptor: FileChannel serialises read and write on one descriptor, so close could not wake a read. */
    private final FileChannel closer;
    static final int BATCH = 16;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BATCH * Message.LENGTH);
    private final UnsafeBuffer readView = new UnsafeBuffer(readBuffer);
    /** Next unconsumed byte in {@link #readBuffer}; bytes up to its position have been read. */
    private int consumed;
    private volatile boolean closed;

    FifoMessageReceiver(final Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.closer = FileChannel.open(path, StandardOpenOption.WRITE);
    }

    @Override
    public boolean receive(final MutableDirectBuffer buffer, final int offset) throws IOException {
        if (closed) {
            return false;
        }
        if (readBuffer.position() - consumed < Message.LENGTH) {
            // Keep a partial message (never expected), then read at least one whole message.
            readBuffer.flip().position(consumed);
            readBuffer.compact();
            consumed = 0;
            try {
                while (readBuffer.position() < Message.LENGTH) {
                    if (channel.read(readBuffer) < 0) {
                        throw new IOException("FIFO " + path + " reached end of file");
                    }
                }
            } catch (final IOException e) {
                if (closed) {
                    return false;
                }
                throw e;
            }
        }
        if (closed) {
            return false;
        }
        buffer.putBytes(offset, readView, consumed, Message.LENGTH);
        consumed += Message.LENGTH;
        return true;
    }

    @Override
    public boolean hasPending() {
        return readBuffer.position() - consumed >= Message.LENGTH;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Wake a reader blocked in read(): it sees 'closed' after the message arrives.
            final ByteBuffer wake = ByteBuffer.allocateDirect(Message.LENGTH);
            closer.write(wake);
        } catch (final IOException ignored) {
            // The channel is broken anyway; closing it below is all that is left.
        }
        try {
            closer.close();
            channel.close();
        } catch (final IOException ignored) {
            // Nothing to recover on close.
        }
    }

    @Override
    public String toString() {
        return "FifoMessageReceiver{" + path + '}';
    }
}
