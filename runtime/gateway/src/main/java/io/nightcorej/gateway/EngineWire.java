package io.nightcorej.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.nightcorej.protocol.GatewayMessage;

/**
 * Reads and writes gateway-engine frame headers on Netty buffers (little-endian, see the layout in
 * {@code runtime/PROTOCOL.md} and CONTRACTS.md):
 *
 * <pre>
 *   0        2            4          6        8                16               24         28            32
 *   +--------+------------+----------+--------+----------------+----------------+----------+-------------+----------
 *   | type   | functionId | methodId | status | callId (i64)   | time (i64, us) | reserved | payloadSize | payload..
 *   +--------+------------+----------+--------+----------------+----------------+----------+-------------+----------
 * </pre>
 *
 * The offsets and type codes are {@link GatewayMessage}'s (the Agrona flyweight the engine uses); these accessors read
 * the same layout from a Netty {@link ByteBuf} so the gateway never copies a frame into another buffer.
 * The gateway keeps a frame in the {@link ByteBuf} Netty read it into and never copies its payload: a completed call's
 * output becomes the HTTP response body as a slice of the frame.
 */
final class EngineWire {

    static final int HEADER_LENGTH = GatewayMessage.HEADER_LENGTH;
    static final int TYPE_OFFSET = GatewayMessage.TYPE_OFFSET;
    static final int FUNCTION_ID_OFFSET = GatewayMessage.FUNCTION_ID_OFFSET;
    static final int METHOD_ID_OFFSET = GatewayMessage.METHOD_ID_OFFSET;
    static final int STATUS_OFFSET = GatewayMessage.STATUS_OFFSET;
    static final int CALL_ID_OFFSET = GatewayMessage.CALL_ID_OFFSET;
    static final int TIME_OFFSET = GatewayMessage.TIME_OFFSET;
    static final int RESERVED_OFFSET = GatewayMessage.RESERVED_OFFSET;
    static final int PAYLOAD_SIZE_OFFSET = GatewayMessage.PAYLOAD_SIZE_OFFSET;

    static final int ENGINE_HANDSHAKE = GatewayMessage.ENGINE_HANDSHAKE;
    static final int DISPATCH_FUNC_CALL = GatewayMessage.DISPATCH_FUNC_CALL;
    static final int FUNC_CALL_COMPLETE = GatewayMessage.FUNC_CALL_COMPLETE;
    static final int FUNC_CALL_FAILED = GatewayMessage.FUNC_CALL_FAILED;
    static final int STATS_REQUEST = GatewayMessage.STATS_REQUEST;
    static final int STATS_REPLY = GatewayMessage.STATS_REPLY;

    private EngineWire() {
    }

    /**
     * Allocates and fills a header; the payload, if any, is written after it as its own buffer.
     */
    static ByteBuf header(final ByteBufAllocator alloc, final int type, final int functionId, final int status,
                          final long callId, final long time, final int payloadSize) {
        final ByteBuf b = alloc.ioBuffer(HEADER_LENGTH, HEADER_LENGTH);
        b.writeShortLE(type);
        b.writeShortLE(functionId);
        b.writeShortLE(0);
        b.writeShortLE(status);
        b.writeLongLE(callId);
        b.writeLongLE(time);
        b.writeIntLE(0);
        b.writeIntLE(payloadSize);
        return b;
    }

    static int type(final ByteBuf frame) {
        return frame.getUnsignedShortLE(frame.readerIndex() + TYPE_OFFSET);
    }

    static int functionId(final ByteBuf frame) {
        return frame.getUnsignedShortLE(frame.readerIndex() + FUNCTION_ID_OFFSET);
    }

    static int status(final ByteBuf frame) {
        return frame.getUnsignedShortLE(frame.readerIndex() + STATUS_OFFSET);
    }

    static long callId(final ByteBuf frame) {
        return frame.getLongLE(frame.readerIndex() + CALL_ID_OFFSET);
    }

    static long time(final ByteBuf frame) {
        return frame.getLongLE(frame.readerIndex() + TIME_OFFSET);
    }

    static int payloadSize(final ByteBuf frame) {
        return frame.getIntLE(frame.readerIndex() + PAYLOAD_SIZE_OFFSET);
    }

    /** @return a retained slice of the payload; the caller releases it. */
    static ByteBuf retainedPayload(final ByteBuf frame) {
        return frame.retainedSlice(frame.readerIndex() + HEADER_LENGTH, payloadSize(frame));
    }
}
