package io.nightcorej.ipc;

import io.nightcorej.protocol.Message;
import io.nightcorej.protocol.ProtocolException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One end of the control connection between the engine and a function container, over the Unix stream socket
 * {@code <ipcRoot>/engine.sock}. Frames are {@link Message}s of 1024 bytes; when a frame's payloadSize exceeds the
 * inline capacity (only HANDSHAKE_RESPONSE does this) the whole payload follows the frame on the stream. End of stream
 * means the peer process is gone: that is how the engine learns a container died and how a container learns its engine
 * died.
 */
public final class ControlSocket implements AutoCloseable {

    /** Largest payload accepted after a control frame. */
    public static final int MAX_TRAILING_PAYLOAD = 16 * 1024 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(Message.LENGTH);
    private final UnsafeBuffer readView = new UnsafeBuffer(readBuffer);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(Message.LENGTH);
    private final UnsafeBuffer writeView = new UnsafeBuffer(writeBuffer);
    private final Message reading = new Message();
    private byte[] trailingPayload;

    /** @param channel a connected Unix stream socket. */
    public ControlSocket(final SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects to an engine, waiting for its socket to appear.
     *
     * @param socket    the engine.sock path.
     * @param timeoutMs how long to keep trying.
     * @return the connection.
     * @throws IOException when the engine does not accept within the timeout.
     */
    public static ControlSocket connect(final Path socket, final long timeoutMs) throws IOException {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    return new ControlSocket(channel);
                } catch (final IOException e) {
                    last = e;
                    channel.close();
                }
            }
            try {
                Thread.sleep(20);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to " + socket, e);
            }
        }
        throw new IOException("no engine accepted on " + socket + " within " + timeoutMs + " ms"
            + (last == null ? "" : ": " + last.getMessage()));
    }

    /**
     * Sends a frame.
     *
     * @param buffer   holds the 1024-byte message.
     * @param offset   where it starts.
     * @param trailing the payload to send after the frame when the message's payloadSize exceeds the inline
     *                 capacity (its length must equal payloadSize), else null.
     * @throws IOException when the peer is gone.
     */
    public synchronized void send(final DirectBuffer buffer, final int offset, final byte[] trailing) throws IOException {
        writeView.putBytes(0, buffer, offset, Message.LENGTH);
        writeBuffer.clear();
        while (writeBuffer.hasRemaining()) {
            channel.write(writeBuffer);
        }
        if (trailing != null) {
            final ByteBuffer rest = ByteBuffer.wrap(trailing);
            while (rest.hasRemaining()) {
                channel.write(rest);
            }
        }
    }

    /**
     * Reads the next frame. Only one thread may receive.
     *
     * @param buffer receives the 1024-byte message.
     * @param offset where.
     * @return false at end of stream (the peer is gone).
     * @throws IOException when the socket breaks.
     * @throws ProtocolException when the frame is not a valid message.
     */
    public boolean receive(final MutableDirectBuffer buffer, final int offset) throws IOException {
        if (!readFully(readBuffer)) {
            return false;
        }
        reading.wrap(readView, 0);
        final int type = reading.type();
        if (type < Message.LAUNCHER_HANDSHAKE || type > Message.SHUTDOWN) {
            throw new ProtocolException("control socket: unknown message type " + type);
        }
        final int size = reading.payloadSize();
        trailingPayload = null;
        if (size > Message.INLINE_CAPACITY) {
            if (size > MAX_TRAILING_PAYLOAD) {
                throw new ProtocolException("control socket: trailing payload of " + size + " bytes exceeds "
                    + MAX_TRAILING_PAYLOAD);
            }
            final ByteBuffer rest = ByteBuffer.allocate(size);
            if (!readFully(rest)) {
                return false;
            }
            trailingPayload = rest.array();
        } else if (size < 0) {
            throw new ProtocolException("control socket: negative payloadSize " + size + " (no shm files on this socket)");
        }
        buffer.putBytes(offset, readView, 0, Message.LENGTH);
        return true;
    }

    /**
     * @param message the last received message (wrapped).
     * @return its payload, inline or trailing.
     */
    public byte[] payloadOf(final Message message) {
        return trailingPayload != null ? trailingPayload : message.inlinePayload();
    }

    private boolean readFully(final ByteBuffer target) throws IOException {
        target.clear();
        while (target.hasRemaining()) {
            if (channel.read(target) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Nothing to recover on close.
        }
    }
}
