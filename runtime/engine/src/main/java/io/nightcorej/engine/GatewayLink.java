package io.nightcorej.engine;

import io.nightcorej.protocol.GatewayMessage;
import io.nightcorej.protocol.ProtocolException;
import io.nightcorej.sdk.FunctionCallException;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's TCP connections to the gateway. The engine opens them (the gateway listens on its enginePort), with
 * TCP_NODELAY, and starts each with ENGINE_HANDSHAKE. Each connection has its own reader thread, which hands
 * DISPATCH_FUNC_CALL straight to the function's dispatcher (and on to a worker) without another thread hop. When the
 * gateway goes away the connection is re-established with exponential backoff (50 ms up to 2 s), forever, until the
 * engine closes.
 */
final class GatewayLink {

    private static final long BACKOFF_MIN_MS = 50;
    private static final long BACKOFF_MAX_MS = 2000;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int COALESCE_BUFFER_BYTES = 64 * 1024;

    private final Engine engine;
    private final String host;
    private final int port;
    private final int connections;
    private final int nodeId;
    private final int maxPayloadBytes;
    private final List<Connection> live = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    /**
     * The engine's I/O thread: answers it sends are appended to their connection's buffer and written when it runs out
     * of buffered input ({@link #flushCoalesced()}), so a burst of completions costs one write per connection instead of
     * one per answer. At low load that is at once: the I/O thread flushes before every read that may wait.
     */
    private volatile Thread coalescingThread;
    /** Connections with coalesced answers; used only by {@link #coalescingThread}. */
    private final List<Connection> dirtyConnections = new ArrayList<>();

    GatewayLink(final Engine engine, final String host, final int port, final int connections, final int nodeId,
                final int maxPayloadBytes) {
        this.engine = engine;
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.nodeId = nodeId;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Makes answers sent by {@code ioThread} wait for {@link #flushCoalesced()}. */
    void coalesceWritesOn(final Thread ioThread) {
        this.coalescingThread = ioThread;
    }

    /** Writes every answer the coalescing thread has buffered; called by that thread before it may block. */
    void flushCoalesced() {
        final List<Connection> list = dirtyConnections;
        for (int i = 0; i < list.size(); i++) {
            list.get(i).flushCoalesced();
        }
        list.clear();
    }

    void start() {
        for (int i = 0; i < connections; i++) {
            final int connId = i;
            final Thread t = new Thread(() -> run(connId), "nc-engine-gateway-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void run(final int connId) {
        long backoff = BACKOFF_MIN_MS;
        boolean warned = false;
        while (!closed) {
            Connection connection = null;
            try {
                final SocketChannel channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                channel.connect(new InetSocketAddress(host, port));
                connection = new Connection(channel);
                synchronized (live) {
                    live.add(connection);
                }
                if (closed) {
                    connection.close();
                    return;
                }
                connection.sendHandshake(connId);
                EngineLog.info("connected to gateway " + host + ":" + port + " (connection " + connId + ")");
                backoff = BACKOFF_MIN_MS;
                warned = false;
                connection.readLoop();
                if (!closed) {
                    EngineLog.warn("gateway closed connection " + connId + "; reconnecting");
                }
            } catch (final IOException | ProtocolException e) {
                if (!closed && !warned) {
                    EngineLog.warn("gateway " + host + ":" + port + " connection " + connId + ": " + e.getMessage()
                        + "; retrying with backoff");
                    warned = true;
                }
            } finally {
                if (connection != null) {
                    connection.close();
                    synchronized (live) {
                        live.remove(connection);
                    }
                }
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (final InterruptedException e) {
                return;
            }
            backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
        }
    }

    void close() {
        closed = true;
        synchronized (live) {
            for (final Connection c : live) {
                c.close();
            }
        }
        for (final Thread t : threads) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One gateway connection; its writes are serialised, its reads happen on its own thread. Reads are batched: the
     * reader pulls up to {@link #READ_BUFFER_BYTES} per {@code read} and handles every whole frame in it, so under load
     * one system call brings in many calls (instead of two per call: header, then payload). A payload larger than the
     * buffer is read straight into its own array.
     */
    final class Connection {
        private final SocketChannel channel;
        private final ByteBuffer inBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        private final UnsafeBuffer inView = new UnsafeBuffer(inBuffer);
        private final GatewayMessage reading = new GatewayMessage();
        /** Start of the first unparsed byte in {@link #inBuffer}; bytes up to its position are valid. */
        private int parsePosition;
        private final ByteBuffer writeHeader = ByteBuffer.allocateDirect(GatewayMessage.HEADER_LENGTH);
        private final GatewayMessage writing = new GatewayMessage().wrap(new UnsafeBuffer(writeHeader), 0);
        private final ByteBuffer[] gather = new ByteBuffer[2];
        /** Answers from the engine's I/O thread waiting for the end of its burst (see {@link #flushCoalesced()}). */
        private final ByteBuffer pending = ByteBuffer.allocateDirect(COALESCE_BUFFER_BYTES);
        private final UnsafeBuffer pendingBuffer = new UnsafeBuffer(pending);
        private final GatewayMessage pendingView = new GatewayMessage();
        private boolean dirty;

        Connection(final SocketChannel channel) {
            this.channel = channel;
        }

        void readLoop() throws IOException {
            while (!closed) {
                if (!ensureBuffered(GatewayMessage.HEADER_LENGTH)) {
                    return;
                }
                reading.wrap(inView, parsePosition);
                reading.validate(Integer.MAX_VALUE);
                final int type = reading.type();
                final int functionId = reading.functionId();
                final long callId = reading.callId();
                final long time = reading.time();
                final int size = reading.payloadSize();
                parsePosition += GatewayMessage.HEADER_LENGTH;
                if (size > maxPayloadBytes) {
                    // Too large to accept, but the stream stays in sync: skip the payload and refuse the call.
                    skip(size);
                    if (type == GatewayMessage.DISPATCH_FUNC_CALL) {
                        sendFailed(functionId, callId, FunctionCallException.Status.PAYLOAD_TOO_LARGE.code(),
                            "input of " + size + " bytes exceeds the engine's maxPayloadBytes " + maxPayloadBytes);
                    }
                    continue;
                }
                final byte[] payload = new byte[size];
                if (!readPayload(payload)) {
                    return;
                }
                switch (type) {
                    case GatewayMessage.DISPATCH_FUNC_CALL:
                        engine.submitFromGateway(this, functionId, callId, time, payload);
                        break;
                    case GatewayMessage.STATS_REQUEST:
                        send(GatewayMessage.STATS_REPLY, 0, callId, 0, 0, engine.statsJson().getBytes(StandardCharsets.UTF_8));
                        break;
                    default:
                        throw new ProtocolException("unexpected " + GatewayMessage.typeName(type) + " from the gateway");
                }
            }
        }

        /** @return bytes received but not yet parsed. */
        private int buffered() {
            return inBuffer.position() - parsePosition;
        }

        /** Reads until at least {@code bytes} (at most the buffer size) are buffered. @return false at end of stream. */
        private boolean ensureBuffered(final int bytes) throws IOException {
            if (buffered() == 0) {
                inBuffer.clear();
                parsePosition = 0;
            } else if (inBuffer.capacity() - parsePosition < bytes) {
                inBuffer.flip().position(parsePosition);
                inBuffer.compact();
                parsePosition = 0;
            }
            while (buffered() < bytes) {
                if (channel.read(inBuffer) < 0) {
                    return false;
                }
            }
            return true;
        }

        /** Fills the payload from the buffer and, for what is not buffered yet, from the socket. */
        private boolean readPayload(final byte[] payload) throws IOException {
            final int size = payload.length;
            if (size == 0) {
                return true;
            }
            if (size <= inBuffer.capacity()) {
                if (!ensureBuffered(size)) {
                    return false;
                }
                inView.getBytes(parsePosition, payload, 0, size);
                parsePosition += size;
                return true;
            }
            final int fromBuffer = buffered();
            inView.getBytes(parsePosition, payload, 0, fromBuffer);
            parsePosition += fromBuffer;
            final ByteBuffer rest = ByteBuffer.wrap(payload, fromBuffer, size - fromBuffer);
            while (rest.hasRemaining()) {
                if (channel.read(rest) < 0) {
                    return false;
                }
            }
            return true;
        }

        private void skip(final int bytes) throws IOException {
            final int fromBuffer = Math.min(bytes, buffered());
            parsePosition += fromBuffer;
            final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            int left = bytes - fromBuffer;
            while (left > 0) {
                sink.clear().limit(Math.min(left, sink.capacity()));
                final int n = channel.read(sink);
                if (n < 0) {
                    throw new IOException("gateway closed the connection inside a payload");
                }
                left -= n;
            }
        }

        void sendHandshake(final int connId) throws IOException {
            final byte[] json = ("{\"nodeId\":" + nodeId + ",\"connId\":" + connId + "}").getBytes(StandardCharsets.UTF_8);
            if (!send(GatewayMessage.ENGINE_HANDSHAKE, 0, 0, 0, 0, json)) {
                throw new IOException("handshake failed");
            }
        }

        void sendComplete(final int functionId, final long callId, final int processingUs, final byte[] output) {
            send(GatewayMessage.FUNC_CALL_COMPLETE, functionId, callId, 0, processingUs, output);
        }

        void sendFailed(final int functionId, final long callId, final int status, final String message) {
            send(GatewayMessage.FUNC_CALL_FAILED, functionId, callId, status, 0, message.getBytes(StandardCharsets.UTF_8));
        }

        /** @return false when the connection is broken (the answer is lost; the gateway fails the request). */
        private synchronized boolean send(final int type, final int functionId, final long callId, final int status,
                                          final long time, final byte[] payload) {
            final int frameLength = GatewayMessage.HEADER_LENGTH + payload.length;
            if (Thread.currentThread() == coalescingThread && frameLength <= pending.capacity()) {
                if (frameLength > pending.remaining() && !flushLocked()) {
                    return false;
                }
                pendingView.wrap(pendingBuffer, pending.position());
                pendingView.clear().type(type).functionId(functionId).status(status).callId(callId).time(time)
                    .payloadSize(payload.length);
                pendingBuffer.putBytes(pending.position() + GatewayMessage.HEADER_LENGTH, payload);
                pending.position(pending.position() + frameLength);
                if (!dirty) {
                    dirty = true;
                    dirtyConnections.add(this);
                }
                return true;
            }
            if (pending.position() > 0 && !flushLocked()) {
                return false;
            }
            writing.clear().type(type).functionId(functionId).status(status).callId(callId).time(time)
                .payloadSize(payload.length);
            writeHeader.clear();
            gather[0] = writeHeader;
            gather[1] = ByteBuffer.wrap(payload);
            try {
                long remaining = frameLength;
                while (remaining > 0) {
                    remaining -= channel.write(gather);
                }
                return true;
            } catch (final IOException e) {
                close();
                return false;
            }
        }

        /** Writes the answers coalesced by the engine's I/O thread (called by that thread). */
        private synchronized void flushCoalesced() {
            dirty = false;
            flushLocked();
        }

        private boolean flushLocked() {
            if (pending.position() == 0) {
                return true;
            }
            pending.flip();
            try {
                while (pending.hasRemaining()) {
                    channel.write(pending);
                }
                return true;
            } catch (final IOException e) {
                close();
                return false;
            } finally {
                pending.clear();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // Closing anyway.
            }
        }
    }
}
