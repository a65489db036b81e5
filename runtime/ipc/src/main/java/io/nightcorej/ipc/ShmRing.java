package io.nightcorej.ipc;

import io.nightcorej.protocol.Message;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * A shared-memory message channel: an Agrona {@link ManyToOneRingBuffer} in a mapped file, plus a FIFO the receiver
 * sleeps on when the ring stays empty.
 *
 * <pre>
 *  ring file (&lt;path&gt;):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        receiverSleeping (i32): 1 = blocked on the wake FIFO   |  0
 *  +---------------------------------------------------------------+
 *  |                     padding to 128 bytes                      |  4
 *  +---------------------------------------------------------------+
 *  |   Agrona ManyToOneRingBuffer: CAPACITY bytes of records,      | 128
 *  |   each an 8-byte record header + one 1024-byte message,       |
 *  |   then RingBufferDescriptor.TRAILER_LENGTH bytes of trailer   |
 *  +---------------------------------------------------------------+
 *  wake FIFO (&lt;path&gt;.wake): any byte = "look at the ring again"
 * </pre>
 *
 * <p>Why the wake-up: on a 2-vCPU machine a receiver that spins for long steals the CPU its sender needs, and a
 * timed park turns into 60-150 us because of timer slack. So the receiver busy-polls for {@code spinMicros} (yielding
 * the CPU between polls after the first microseconds), then announces it is sleeping and blocks on the FIFO; a sender
 * writes one byte only when it sees that announcement. A full fence on both sides between "publish" and "check the
 * other side" means a message is never left unseen with the receiver asleep.
 */
public final class ShmRing {

    /** Bytes of ring capacity (a power of two): room for about 127 messages. */
    public static final int CAPACITY = 128 * 1024;
    static final int HEADER_LENGTH = 128;
    static final int SLEEPING_OFFSET = 0;
    static final int FILE_LENGTH = HEADER_LENGTH + CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
    static final int MSG_TYPE_ID = 1;
    static final long SEND_TIMEOUT_NANOS = 5_000_000_000L;
    private static final long PURE_SPIN_NANOS = 2_000;

    private ShmRing() {
    }

    static Path wakePath(final Path path) {
        return path.resolveSibling(path.getFileName() + ".wake");
    }

    static void create(final Path path) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(FILE_LENGTH);
        }
        Fifos.mkfifo(wakePath(path));
    }

    static void delete(final Path path) {
        Fifos.deleteQuietly(path);
        Fifos.deleteQuietly(wakePath(path));
    }

    /** The mapping both ends share. */
    private abstract static class End {
        final Path path;
        final MappedByteBuffer mapped;
        final UnsafeBuffer header;
        final ManyToOneRingBuffer ring;
        final FileChannel wake;

        End(final Path path) throws IOException {
            this.path = path;
            try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (file.size() != FILE_LENGTH) {
                    throw new IOException("shm ring " + path + " has " + file.size() + " bytes, expected " + FILE_LENGTH);
                }
                mapped = file.map(FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH);
            }
            header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
            ring = new ManyToOneRingBuffer(new UnsafeBuffer(mapped, HEADER_LENGTH, CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
            // Read-write so the open never blocks and a sender's wake byte never fails.
            wake = FileChannel.open(wakePath(path), StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        void closeEnd() {
            try {
                wake.close();
            } catch (final IOException ignored) {
                // Nothing to recover on close.
            }
            // No explicit unmap: another thread of this process may still be inside a ring operation, and touching an
            // unmapped page crashes the JVM. The mapping goes away when the buffer is collected.
        }
    }

    /** The receiving end; one thread. */
    static final class Receiver extends End implements MessageReceiver {
        /** Waits per spin decision, and how many of them must have been short for the receiver to spin. */
        static final int SPIN_WINDOW = 8;
        static final int SPIN_MIN_HITS = 4;
        private static final int SPIN_WINDOW_MASK = (1 << SPIN_WINDOW) - 1;
        private final long spinNanos;
        /** See {@link #worthSpinning}: for receives with the configured spin, and for those with an explicit one. */
        private int defaultHistory = -1;
        private int explicitHistory = -1;
        private final ByteBuffer wakeBuffer = ByteBuffer.allocateDirect(64);
        private final CopyingHandler handler = new CopyingHandler();
        /** A second descriptor: FileChannel serialises read and write on one descriptor, so close could not wake a read. */
        private final FileChannel closer;
        private volatile boolean closed;

        Receiver(final Path path, final int spinMicros) throws IOException {
            super(path);
            this.spinNanos = spinMicros * 1000L;
            this.closer = FileChannel.open(wakePath(path), StandardOpenOption.WRITE);
        }

        /**
         * Reads one message. A read that only consumed the padding record at the end of the ring returns 0 although a
         * message may wait at its start; treating that as "empty" would let the receiver sleep on a message, so read
         * again whenever the consumer position moved.
         */
        private boolean poll() {
            while (true) {
                final long position = ring.consumerPosition();
                if (ring.read(handler, 1) > 0) {
                    return true;
                }
                if (ring.consumerPosition() == position) {
                    return false;
                }
            }
        }

        @Override
        public boolean receive(final MutableDirectBuffer buffer, final int offset) throws IOException {
            return receiveSpinning(buffer, offset, spinNanos, false);
        }

        @Override
        public boolean receive(final MutableDirectBuffer buffer, final int offset, final int spinMicros) throws IOException {
            return receiveSpinning(buffer, offset, spinMicros * 1000L, true);
        }

        @Override
        public boolean hasPending() {
            // A claimed record (even the padding before a wrapped one) means a message is written or being written.
            return ring.producerPosition() != ring.consumerPosition();
        }

        /**
         * Spins only while it pays: {@code history} holds one bit per recent wait (1 = the message came within the spin
         * budget, or soon enough after it that a spin would have caught it had it been a little longer), and the
         * receiver spins when at least {@link #SPIN_MIN_HITS} of the last {@link #SPIN_WINDOW} waits were such. A
         * receiver whose messages come far apart (an idle worker, a callee that takes milliseconds) stops burning the
         * CPU its peers need after a few waits; a chain of quick hops (internal calls) keeps spinning.
         */
        private boolean worthSpinning(final boolean explicit) {
            final int history = explicit ? explicitHistory : defaultHistory;
            return Integer.bitCount(history & SPIN_WINDOW_MASK) >= SPIN_MIN_HITS;
        }

        /** @return whether the next wait (with the configured spin, or with an explicit one) would spin; for tests. */
        boolean spinsNow(final boolean explicit) {
            return worthSpinning(explicit);
        }

        private void recordWait(final boolean explicit, final boolean hit) {
            if (explicit) {
                explicitHistory = (explicitHistory << 1) | (hit ? 1 : 0);
            } else {
                defaultHistory = (defaultHistory << 1) | (hit ? 1 : 0);
            }
        }

        private boolean receiveSpinning(final MutableDirectBuffer buffer, final int offset, final long spinNanos,
                                        final boolean explicit) throws IOException {
            handler.target = buffer;
            handler.targetOffset = offset;
            if (closed) {
                return false;
            }
            if (poll()) {
                return true;
            }
            final long start = System.nanoTime();
            if (spinNanos > 0 && worthSpinning(explicit)) {
                long now = start;
                while (now - start < spinNanos) {
                    if (poll()) {
                        recordWait(explicit, true);
                        return true;
                    }
                    if (now - start < PURE_SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                    now = System.nanoTime();
                }
            }
            while (!closed) {
                header.putIntVolatile(SLEEPING_OFFSET, 1);
                VarHandle.fullFence();
                if (!poll()) {
                    if (closed) {
                        break;
                    }
                    wakeBuffer.clear();
                    try {
                        if (wake.read(wakeBuffer) < 0) {
                            throw new IOException("wake FIFO of " + path + " reached end of file");
                        }
                    } catch (final IOException e) {
                        if (closed) {
                            return false;
                        }
                        throw e;
                    }
                    header.putIntVolatile(SLEEPING_OFFSET, 0);
                    if (closed || !poll()) {
                        continue;   // a stale wake byte (or close): sleep again
                    }
                }
                header.putIntVolatile(SLEEPING_OFFSET, 0);
                // A wait that ended within twice the budget counts as one a spin would (nearly) have caught: the
                // measured time includes the wake-up, so without the slack a receiver that stopped spinning could
                // never start again.
                if (spinNanos > 0) {
                    recordWait(explicit, System.nanoTime() - start <= 2 * spinNanos);
                }
                return true;
            }
            return false;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                closer.write(ByteBuffer.wrap(new byte[] {1}));
                closer.close();
            } catch (final IOException ignored) {
                // Closing anyway.
            }
            closeEnd();
        }

        @Override
        public String toString() {
            return "ShmRing.Receiver{" + path + '}';
        }
    }

    /** A sending end; thread-safe, any number per ring, in any process. */
    static final class Sender extends End implements MessageSender {
        private final ByteBuffer wakeByte = ByteBuffer.allocateDirect(1);

        Sender(final Path path) throws IOException {
            super(path);
        }

        @Override
        public void send(final DirectBuffer buffer, final int offset) throws IOException {
            if (!ring.write(MSG_TYPE_ID, buffer, offset, Message.LENGTH)) {
                waitForRoom(buffer, offset);
            }
            VarHandle.fullFence();
            if (header.getIntVolatile(SLEEPING_OFFSET) == 1 && header.compareAndSetInt(SLEEPING_OFFSET, 1, 0)) {
                wakeReceiver();
            }
        }

        private void waitForRoom(final DirectBuffer buffer, final int offset) throws IOException {
            final long deadline = System.nanoTime() + SEND_TIMEOUT_NANOS;
            do {
                // The receiver may be asleep with a full ring only if it died; make sure a live one is awake.
                if (header.getIntVolatile(SLEEPING_OFFSET) == 1 && header.compareAndSetInt(SLEEPING_OFFSET, 1, 0)) {
                    wakeReceiver();
                }
                LockSupport.parkNanos(20_000);
                if (System.nanoTime() > deadline) {
                    throw new IOException("shm ring " + path + " stayed full for 5 s; is its receiver alive?");
                }
            } while (!ring.write(MSG_TYPE_ID, buffer, offset, Message.LENGTH));
        }

        private synchronized void wakeReceiver() throws IOException {
            wakeByte.clear();
            wake.write(wakeByte);
        }

        @Override
        public void close() {
            closeEnd();
        }

        @Override
        public String toString() {
            return "ShmRing.Sender{" + path + '}';
        }
    }

    private static final class CopyingHandler implements MessageHandler {
        MutableDirectBuffer target;
        int targetOffset;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length) {
            target.putBytes(targetOffset, buffer, index, Message.LENGTH);
        }
    }
}
