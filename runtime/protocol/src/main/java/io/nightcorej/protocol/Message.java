package io.nightcorej.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the fixed 1024-byte message exchanged between the engine, function containers (launchers) and their
 * workers, on the data channels and on the control socket. All fields are little-endian; timestamps are
 * {@code CLOCK_MONOTONIC} nanoseconds ({@link System#nanoTime()} on Linux), comparable between processes on one host.
 *
 * <p>The header fills the first 64-byte cache line; the rest is the inline payload. A payload larger than
 * {@link #INLINE_CAPACITY} travels in a per-call shared-memory file and {@link #payloadSize()} is then the negated size.
 * 1024 bytes is below {@code PIPE_BUF} (4096), so one {@code write} of a message to a FIFO is atomic and many writers
 * may share one FIFO.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |          type (u16)           |        functionId (u16)       |  0
 *  +-------------------------------+-------------------------------+
 *  |          flags (u16)          |          status (u16)         |  4
 *  +-------------------------------+-------------------------------+
 *  |                         callId (i64)                          |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      parentCallId (i64)                       | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        clientId (i32)                         | 24
 *  +---------------------------------------------------------------+
 *  |       payloadSize (i32): &gt;= 0 inline, &lt; 0 = -n in shm file      | 28
 *  +---------------------------------------------------------------+
 *  |             deadline (i64, monotonic ns; 0 = none)            | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              sendTimestamp (i64, monotonic ns)                | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   processingTimeUs (i32)                      | 48
 *  +---------------------------------------------------------------+
 *  |                    dispatchDelayUs (i32)                      | 52
 *  +---------------------------------------------------------------+
 *  |          replyClientId (i32): DISPATCH with DIRECT_REPLY      | 56
 *  +---------------------------------------------------------------+
 *  |                       reserved (i32)                          | 60
 *  +---------------------------------------------------------------+
 *  |                  inline payload (960 bytes) ...               | 64
 *  +---------------------------------------------------------------+ 1024
 * </pre>
 */
public final class Message {

    /** Size of every message. */
    public static final int LENGTH = 1024;
    /** Size of the header; the inline payload starts here. */
    public static final int HEADER_LENGTH = 64;
    /** Largest payload carried inline; larger ones go through a shared-memory file. */
    public static final int INLINE_CAPACITY = LENGTH - HEADER_LENGTH;

    public static final int TYPE_OFFSET = 0;
    public static final int FUNCTION_ID_OFFSET = 2;
    public static final int FLAGS_OFFSET = 4;
    public static final int STATUS_OFFSET = 6;
    public static final int CALL_ID_OFFSET = 8;
    public static final int PARENT_CALL_ID_OFFSET = 16;
    public static final int CLIENT_ID_OFFSET = 24;
    public static final int PAYLOAD_SIZE_OFFSET = 28;
    public static final int DEADLINE_OFFSET = 32;
    public static final int SEND_TIMESTAMP_OFFSET = 40;
    public static final int PROCESSING_TIME_OFFSET = 48;
    public static final int DISPATCH_DELAY_OFFSET = 52;
    public static final int REPLY_CLIENT_ID_OFFSET = 56;
    public static final int RESERVED_OFFSET = 60;
    public static final int INLINE_OFFSET = HEADER_LENGTH;

    /** Launcher to engine (control): a function container introduces itself; inline = UTF-8 JSON {"pid":n}. */
    public static final int LAUNCHER_HANDSHAKE = 1;
    /** Engine to launcher (control): clientId = the container's own id; payload = UTF-8 JSON container config. */
    public static final int HANDSHAKE_RESPONSE = 2;
    /** Engine to launcher (control): start worker clientId; its input channel already exists. */
    public static final int CREATE_FUNC_WORKER = 3;
    /** Launcher to engine (control): worker clientId reads its channel (status 0) or could not start (status != 0). */
    public static final int FUNC_WORKER_READY = 4;
    /** Engine to worker (its data channel): finish and exit; the engine sends no more calls to it. */
    public static final int STOP_FUNC_WORKER = 5;
    /** Worker to engine (data): call functionId; callId chosen by the worker; parentCallId = the running call. */
    public static final int INVOKE_FUNC = 6;
    /** Engine to worker (data): run call callId of functionId with this input. */
    public static final int DISPATCH_FUNC_CALL = 7;
    /** Worker to engine, and engine to the calling worker (data): the output. */
    public static final int FUNC_CALL_COMPLETE = 8;
    /** Worker to engine, and engine to the calling worker (data): status = failure code; payload = UTF-8 message. */
    public static final int FUNC_CALL_FAILED = 9;
    /** Engine to launcher (control): stop all workers and exit. */
    public static final int SHUTDOWN = 10;

    /** Flag on INVOKE_FUNC: deliver the result to the container's own channel, not the worker's (async calls). */
    public static final int FLAG_REPLY_TO_CONTAINER = 1;
    /**
     * Flag on DISPATCH_FUNC_CALL (engine to worker): write the result (COMPLETE or FAILED, exactly as the engine would
     * have forwarded it, {@code clientId} = {@link #replyClientId()}) straight to the input channel of client
     * {@link #replyClientId()} (the calling worker), then tell the engine with a header-only COMPLETE/FAILED carrying
     * {@link #FLAG_REPLIED}. Used for synchronous internal calls: the result skips one hop through the engine.
     */
    public static final int FLAG_DIRECT_REPLY = 2;
    /**
     * Flag on FUNC_CALL_COMPLETE / FUNC_CALL_FAILED (worker to engine): the result already went straight to the caller;
     * this message is the engine's notice that the call finished (tracing, freeing the worker). Its payload is not
     * forwarded; a negative {@code payloadSize} says the caller now owns the call's {@code .o} shm file.
     */
    public static final int FLAG_REPLIED = 4;
    /**
     * Flag on DISPATCH_FUNC_CALL (engine to worker): when the engine sent it, more calls of the function were queued, so
     * the worker will very likely get its next call right after it reports this one. Such a worker polls its channel
     * for its idle spin budget ({@code workerSpinMicros}) before sleeping; without the flag it sleeps at once. A
     * receiver may ignore it.
     */
    public static final int FLAG_MORE_QUEUED = 8;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at a message.
     *
     * @param buffer the buffer holding (or about to hold) {@link #LENGTH} bytes.
     * @param offset where the message starts.
     * @return this.
     */
    public Message wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Zeroes the header (not the payload). @return this. */
    public Message clearHeader() {
        buffer.setMemory(offset, HEADER_LENGTH, (byte) 0);
        return this;
    }

    public int type() {
        return buffer.getShort(offset + TYPE_OFFSET, LE) & 0xFFFF;
    }

    public Message type(final int type) {
        buffer.putShort(offset + TYPE_OFFSET, (short) type, LE);
        return this;
    }

    public int functionId() {
        return buffer.getShort(offset + FUNCTION_ID_OFFSET, LE) & 0xFFFF;
    }

    public Message functionId(final int functionId) {
        buffer.putShort(offset + FUNCTION_ID_OFFSET, (short) functionId, LE);
        return this;
    }

    public int flags() {
        return buffer.getShort(offset + FLAGS_OFFSET, LE) & 0xFFFF;
    }

    public Message flags(final int flags) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) flags, LE);
        return this;
    }

    public int status() {
        return buffer.getShort(offset + STATUS_OFFSET, LE) & 0xFFFF;
    }

    public Message status(final int status) {
        buffer.putShort(offset + STATUS_OFFSET, (short) status, LE);
        return this;
    }

    public long callId() {
        return buffer.getLong(offset + CALL_ID_OFFSET, LE);
    }

    public Message callId(final long callId) {
        buffer.putLong(offset + CALL_ID_OFFSET, callId, LE);
        return this;
    }

    public long parentCallId() {
        return buffer.getLong(offset + PARENT_CALL_ID_OFFSET, LE);
    }

    public Message parentCallId(final long parentCallId) {
        buffer.putLong(offset + PARENT_CALL_ID_OFFSET, parentCallId, LE);
        return this;
    }

    public int clientId() {
        return buffer.getInt(offset + CLIENT_ID_OFFSET, LE);
    }

    public Message clientId(final int clientId) {
        buffer.putInt(offset + CLIENT_ID_OFFSET, clientId, LE);
        return this;
    }

    /** @return bytes inline when &gt;= 0; when &lt; 0 the payload of -n bytes is in the call's shm file. */
    public int payloadSize() {
        return buffer.getInt(offset + PAYLOAD_SIZE_OFFSET, LE);
    }

    public Message payloadSize(final int payloadSize) {
        buffer.putInt(offset + PAYLOAD_SIZE_OFFSET, payloadSize, LE);
        return this;
    }

    /** @return true when the payload travels in a shared-memory file. */
    public boolean payloadInShm() {
        return payloadSize() < 0;
    }

    /** @return the payload length wherever it is. */
    public int payloadLength() {
        final int size = payloadSize();
        return size < 0 ? -size : size;
    }

    public long deadline() {
        return buffer.getLong(offset + DEADLINE_OFFSET, LE);
    }

    public Message deadline(final long deadlineNanos) {
        buffer.putLong(offset + DEADLINE_OFFSET, deadlineNanos, LE);
        return this;
    }

    public long sendTimestamp() {
        return buffer.getLong(offset + SEND_TIMESTAMP_OFFSET, LE);
    }

    public Message sendTimestamp(final long nanos) {
        buffer.putLong(offset + SEND_TIMESTAMP_OFFSET, nanos, LE);
        return this;
    }

    public int processingTimeUs() {
        return buffer.getInt(offset + PROCESSING_TIME_OFFSET, LE);
    }

    public Message processingTimeUs(final int micros) {
        buffer.putInt(offset + PROCESSING_TIME_OFFSET, micros, LE);
        return this;
    }

    public int dispatchDelayUs() {
        return buffer.getInt(offset + DISPATCH_DELAY_OFFSET, LE);
    }

    public Message dispatchDelayUs(final int micros) {
        buffer.putInt(offset + DISPATCH_DELAY_OFFSET, micros, LE);
        return this;
    }

    /** @return on a DISPATCH with {@link #FLAG_DIRECT_REPLY}: the client whose channel receives the result. */
    public int replyClientId() {
        return buffer.getInt(offset + REPLY_CLIENT_ID_OFFSET, LE);
    }

    public Message replyClientId(final int clientId) {
        buffer.putInt(offset + REPLY_CLIENT_ID_OFFSET, clientId, LE);
        return this;
    }

    public int reserved() {
        return buffer.getInt(offset + RESERVED_OFFSET, LE);
    }

    public Message reserved(final int value) {
        buffer.putInt(offset + RESERVED_OFFSET, value, LE);
        return this;
    }

    /** @return offset of the inline payload in {@link #buffer()}. */
    public int inlineOffset() {
        return offset + INLINE_OFFSET;
    }

    /**
     * Copies an inline payload in and sets {@link #payloadSize()}.
     *
     * @param src    the bytes.
     * @param srcOff first byte.
     * @param length at most {@link #INLINE_CAPACITY}.
     * @return this.
     */
    public Message putInlinePayload(final byte[] src, final int srcOff, final int length) {
        if (length > INLINE_CAPACITY) {
            throw new IllegalArgumentException("inline payload of " + length + " bytes exceeds " + INLINE_CAPACITY);
        }
        buffer.putBytes(offset + INLINE_OFFSET, src, srcOff, length);
        payloadSize(length);
        return this;
    }

    /** @return a copy of the inline payload (only valid when {@link #payloadSize()} &gt;= 0). */
    public byte[] inlinePayload() {
        final byte[] bytes = new byte[payloadSize()];
        buffer.getBytes(offset + INLINE_OFFSET, bytes);
        return bytes;
    }

    /**
     * Checks a received message before its fields are trusted.
     *
     * @param maxPayloadBytes the largest payload (inline or in shm) the receiver accepts.
     * @throws ProtocolException naming the bad field.
     */
    public void validate(final int maxPayloadBytes) {
        final int type = type();
        if (type < LAUNCHER_HANDSHAKE || type > SHUTDOWN) {
            throw new ProtocolException("message: unknown type " + type + " (expected 1..10); the peer does not speak the"
                + " Nightcore-J message protocol or the stream is out of sync");
        }
        final int size = payloadSize();
        if (size > INLINE_CAPACITY) {
            throw new ProtocolException("message " + typeName(type) + ": inline payloadSize " + size + " exceeds "
                + INLINE_CAPACITY + " (larger payloads must use a shm file and a negative size)");
        }
        if (size < 0 && (size == Integer.MIN_VALUE || -size > maxPayloadBytes)) {
            throw new ProtocolException("message " + typeName(type) + ": shm payload of " + (-(long) size)
                + " bytes exceeds the limit " + maxPayloadBytes);
        }
    }

    /**
     * @param type a type code.
     * @return its name, or {@code UNKNOWN(n)}.
     */
    public static String typeName(final int type) {
        switch (type) {
            case LAUNCHER_HANDSHAKE: return "LAUNCHER_HANDSHAKE";
            case HANDSHAKE_RESPONSE: return "HANDSHAKE_RESPONSE";
            case CREATE_FUNC_WORKER: return "CREATE_FUNC_WORKER";
            case FUNC_WORKER_READY: return "FUNC_WORKER_READY";
            case STOP_FUNC_WORKER: return "STOP_FUNC_WORKER";
            case INVOKE_FUNC: return "INVOKE_FUNC";
            case DISPATCH_FUNC_CALL: return "DISPATCH_FUNC_CALL";
            case FUNC_CALL_COMPLETE: return "FUNC_CALL_COMPLETE";
            case FUNC_CALL_FAILED: return "FUNC_CALL_FAILED";
            case SHUTDOWN: return "SHUTDOWN";
            default: return "UNKNOWN(" + type + ")";
        }
    }

    @Override
    public String toString() {
        return "Message{type=" + typeName(type()) + ", functionId=" + functionId() + ", flags=" + flags() + ", status="
            + status() + ", callId=" + callId() + ", parentCallId=" + parentCallId() + ", clientId=" + clientId()
            + ", replyClientId=" + replyClientId() + ", payloadSize=" + payloadSize() + '}';
    }
}
