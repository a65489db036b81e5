package io.nightcorej.ipc;

import io.nightcorej.protocol.Message;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes 1024-byte messages to a named pipe, one {@code write} each, so writers never interleave.
 *
 * <p>Opened read-write so that opening never blocks waiting for the reader (a write-only open would, and would hang
 * forever if the reader died first). The price is that a write to a pipe whose reader died does not fail; the engine
 * learns of dead containers from the control socket instead, and a worker never has more than a few messages queued.
 */
final class FifoMessageSender implements MessageSender {

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(Message.LENGTH);
    private final UnsafeBuffer writeView = new UnsafeBuffer(writeBuffer);

    FifoMessageSender(final Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public synchronized void send(final DirectBuffer buffer, final int offset) throws IOException {
        writeView.putBytes(0, buffer, offset, Message.LENGTH);
        writeBuffer.clear();
        final int written = channel.write(writeBuffer);
        if (written != Message.LENGTH) {
            throw new IOException("short write of " + written + " bytes to FIFO " + path + " (pipe writes of "
                + Message.LENGTH + " bytes are atomic, so this should not happen)");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Nothing to recover on close.
        }
    }

    @Override
    public String toString() {
        return "FifoMessageSender{" + path + '}';
    }
}
