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

    private final Engine engine;
    private final String host;
    private final int port;
    private final int connections;
    private final int nodeId;
    private final int maxPayloadBytes;
    private final List<Connection> live = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    GatewayLink(final Engine engine, final String host, final int port, final int connections, final int nodeId,
                final int maxPayloadBytes) {
        this.engine = engine;
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.nodeId = nodeId;
        this.maxPayloadBytes = maxPayloadBytes;
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

    /** One gateway connection; its writes are serialised, its reads happen on its own thread. */
    final class Connection {
        private final SocketChannel channel;
        private final ByteBuffer readHeader = ByteBuffer.allocateDirect(GatewayMessage.HEADER_LENGTH);
        private final GatewayMessage reading = new GatewayMessage().wrap(new UnsafeBuffer(readHeader), 0);
        private final ByteBuffer writeHeader = ByteBuffer.allocateDirect(GatewayMessage.HEADER_LENGTH);
        private final GatewayMessage writing = new GatewayMessage().wrap(new UnsafeBuffer(writeHeader), 0);
        private final ByteBuffer[] gather = new ByteBuffer[2];

        Connection(final SocketChannel channel) {
            this.channel = channel;
        }

        void readLoop() throws IOException {
            while (!closed) {
                if (!readFully(readHeader)) {
                    return;
                }
                reading.validate(Integer.MAX_VALUE);
                final int size = reading.payloadSize();
                if (size > maxPayloadBytes) {
                    // Too large to accept, but the stream stays in sync: skip the payload and refuse the call.
                    skip(size);
                    if (reading.type() == GatewayMessage.DISPATCH_FUNC_CALL) {
                        sendFailed(reading.functionId(), reading.callId(), FunctionCallException.Status.PAYLOAD_TOO_LARGE.code(),
                            "input of " + size + " bytes exceeds the engine's maxPayloadBytes " + maxPayloadBytes);
                    }
                    continue;
                }
                final byte[] payload = new byte[size];
                if (size > 0 && !readFully(ByteBuffer.wrap(payload))) {
                    return;
                }
                switch (reading.type()) {
                    case GatewayMessage.DISPATCH_FUNC_CALL:
                        engine.submitFromGateway(this, reading.functionId(), reading.callId(), reading.time(), payload);
                        break;
                    case GatewayMessage.STATS_REQUEST:
                        send(GatewayMessage.STATS_REPLY, 0, reading.callId(), 0, 0,
                            engine.statsJson().getBytes(StandardCharsets.UTF_8));
                        break;
                    default:
                        throw new ProtocolException("unexpected " + GatewayMessage.typeName(reading.type())
                            + " from the gateway");
                }
            }
        }

        private void skip(final int bytes) throws IOException {
            final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            int left = bytes;
            while (left > 0) {
                sink.clear().limit(Math.min(left, sink.capacity()));
                final int n = channel.read(sink);
                if (n < 0) {
                    throw new IOException("gateway closed the connection inside a payload");
                }
                left -= n;
            }
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
            writing.clear().type(type).functionId(functionId).status(status).callId(callId).time(time)
                .payloadSize(payload.length);
            writeHeader.clear();
            gather[0] = writeHeader;
            gather[1] = ByteBuffer.wrap(payload);
            try {
                long remaining = GatewayMessage.HEADER_LENGTH + (long) payload.length;
                while (remaining > 0) {
                    remaining -= channel.write(gather);
                }
                return true;
            } catch (final IOException e) {
                close();
                return false;
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
