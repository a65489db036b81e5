package io.nightcorej.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the 32-byte header that frames every message between the gateway and an engine on their TCP
 * connection. The header is followed by {@link #payloadSize()} payload bytes. All fields are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |          type (u16)           |        functionId (u16)       |  0
 *  +-------------------------------+-------------------------------+
 *  |     methodId (u16, reserved)  |          status (u16)         |  4
 *  +-------------------------------+-------------------------------+
 *  |                         callId (i64)                          |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |  time (i64): DISPATCH = deadline budget in us (0 = default),  | 16
 *  |              COMPLETE = processing time in us                 |
 *  +---------------------------------------------------------------+
 *  |                        reserved (i32)                         | 24
 *  +---------------------------------------------------------------+
 *  |                       payloadSize (i32)                       | 28
 *  +---------------------------------------------------------------+
 *  |                 payload (payloadSize bytes) ...               | 32
 * </pre>
 *
 * <p>Use it Agrona-style: {@link #wrap(MutableDirectBuffer, int)} once over a reusable buffer, then read or write the
 * fields in place; nothing is allocated per message. {@link #validate(int)} checks a received header before any field
 * is trusted.
 */
public final class GatewayMessage {

    /** Length of the header; the payload starts here. */
    public static final int HEADER_LENGTH = 32;

    public static final int TYPE_OFFSET = 0;
    public static final int FUNCTION_ID_OFFSET = 2;
    public static final int METHOD_ID_OFFSET = 4;
    public static final int STATUS_OFFSET = 6;
    public static final int CALL_ID_OFFSET = 8;
    public static final int TIME_OFFSET = 16;
    public static final int RESERVED_OFFSET = 24;
    public static final int PAYLOAD_SIZE_OFFSET = 28;

    /** Engine to gateway, first frame on each connection; payload UTF-8 JSON {@code {"nodeId":n,"connId":c}}. */
    public static final int ENGINE_HANDSHAKE = 1;
    /** Gateway to engine: run a call; payload = input; time = deadline budget in us (0 = function default). */
    public static final int DISPATCH_FUNC_CALL = 2;
    /** Engine to gateway: the call succeeded; payload = output; time = processing time in us. */
    public static final int FUNC_CALL_COMPLETE = 3;
    /** Engine to gateway: the call failed; status = FunctionCallException.Status code; payload = UTF-8 message. */
    public static final int FUNC_CALL_FAILED = 4;
    /** Gateway to engine: ask for statistics; callId = request id. */
    public static final int STATS_REQUEST = 5;
    /** Engine to gateway: callId = request id; payload = UTF-8 JSON statistics. */
    public static final int STATS_REPLY = 6;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer the buffer holding (or about to hold) the header.
     * @param offset where the header starts.
     * @return this.
     */
    public GatewayMessage wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return the wrapped buffer. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /** @return the header's offset in the buffer. */
    public int offset() {
        return offset;
    }

    /** @return offset of the first payload byte in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Zeroes the header. @return this. */
    public GatewayMessage clear() {
        buffer.setMemory(offset, HEADER_LENGTH, (byte) 0);
        return this;
    }

    public int type() {
        return buffer.getShort(offset + TYPE_OFFSET, LE) & 0xFFFF;
    }

    public GatewayMessage type(final int type) {
        buffer.putShort(offset + TYPE_OFFSET, (short) type, LE);
        return this;
    }

    public int functionId() {
        return buffer.getShort(offset + FUNCTION_ID_OFFSET, LE) & 0xFFFF;
    }

    public GatewayMessage functionId(final int functionId) {
        buffer.putShort(offset + FUNCTION_ID_OFFSET, (short) functionId, LE);
        return this;
    }

    public int methodId() {
        return buffer.getShort(offset + METHOD_ID_OFFSET, LE) & 0xFFFF;
    }

    public GatewayMessage methodId(final int methodId) {
        buffer.putShort(offset + METHOD_ID_OFFSET, (short) methodId, LE);
        return this;
    }

    public int status() {
        return buffer.getShort(offset + STATUS_OFFSET, LE) & 0xFFFF;
    }

    public GatewayMessage status(final int status) {
        buffer.putShort(offset + STATUS_OFFSET, (short) status, LE);
        return this;
    }

    public long callId() {
        return buffer.getLong(offset + CALL_ID_OFFSET, LE);
    }

    public GatewayMessage callId(final long callId) {
        buffer.putLong(offset + CALL_ID_OFFSET, callId, LE);
        return this;
    }

    /** @return DISPATCH: deadline budget in us (0 = function default); COMPLETE: processing time in us. */
    public long time() {
        return buffer.getLong(offset + TIME_OFFSET, LE);
    }

    public GatewayMessage time(final long time) {
        buffer.putLong(offset + TIME_OFFSET, time, LE);
        return this;
    }

    public int reserved() {
        return buffer.getInt(offset + RESERVED_OFFSET, LE);
    }

    public GatewayMessage reserved(final int reserved) {
        buffer.putInt(offset + RESERVED_OFFSET, reserved, LE);
        return this;
    }

    public int payloadSize() {
        return buffer.getInt(offset + PAYLOAD_SIZE_OFFSET, LE);
    }

    public GatewayMessage payloadSize(final int payloadSize) {
        buffer.putInt(offset + PAYLOAD_SIZE_OFFSET, payloadSize, LE);
        return this;
    }

    /**
     * Checks a received header before its fields are trusted.
     *
     * @param maxPayloadBytes the largest payload the receiver accepts.
     * @throws ProtocolException naming the bad field: unknown type, or a payload size below 0 or above the limit.
     */
    public void validate(final int maxPayloadBytes) {
        final int type = type();
        if (type < ENGINE_HANDSHAKE || type > STATS_REPLY) {
            throw new ProtocolException("gateway message: unknown type " + type + " (expected 1..6); the peer does not speak"
                + " the Nightcore-J gateway protocol or the stream is out of sync");
        }
        final int size = payloadSize();
        if (size < 0) {
            throw new ProtocolException("gateway message " + typeName(type) + ": negative payloadSize " + size);
        }
        if (size > maxPayloadBytes) {
            throw new ProtocolException("gateway message " + typeName(type) + ": payloadSize " + size + " exceeds the limit "
                + maxPayloadBytes);
        }
    }

    /**
     * @param type a type code.
     * @return its name, or {@code UNKNOWN(n)}.
     */
    public static String typeName(final int type) {
        switch (type) {
            case ENGINE_HANDSHAKE: return "ENGINE_HANDSHAKE";
            case DISPATCH_FUNC_CALL: return "DISPATCH_FUNC_CALL";
            case FUNC_CALL_COMPLETE: return "FUNC_CALL_COMPLETE";
            case FUNC_CALL_FAILED: return "FUNC_CALL_FAILED";
            case STATS_REQUEST: return "STATS_REQUEST";
            case STATS_REPLY: return "STATS_REPLY";
            default: return "UNKNOWN(" + type + ")";
        }
    }

    @Override
    public String toString() {
        return "GatewayMessage{type=" + typeName(type()) + ", functionId=" + functionId() + ", status=" + status()
            + ", callId=" + callId() + ", time=" + time() + ", payloadSize=" + payloadSize() + '}';
    }
}
