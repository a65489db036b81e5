package io.nightcorej.ipc;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Per-call payload files for payloads larger than a message's inline area. The writer creates the file (failing if it
 * exists) and fills it; the reader copies the bytes out and deletes it. Large payloads are mapped rather than
 * written/read, which avoids the JDK's per-thread temporary direct buffers (they would pin megabytes per worker
 * thread); small ones are copied (see {@link #COPY_THRESHOLD}).
 */
public final class ShmPayloads {

    /**
     * Payloads up to this size are copied with write/read instead of mapped: unmapping costs a TLB shootdown (an
     * inter-processor interrupt, expensive on a VM) on every call, while the JDK's per-thread temporary buffer for a
     * copy this small is cheap to keep.
     */
    static final int COPY_THRESHOLD = 256 * 1024;

    private ShmPayloads() {
    }

    /**
     * Writes a payload file.
     *
     * @param file   from {@link IpcLayout#shmInput} or {@link IpcLayout#shmOutput}.
     * @param bytes  the payload.
     * @param offset first byte.
     * @param length number of bytes (&gt; 0).
     * @throws IOException when the file exists or cannot be written.
     */
    public static void write(final Path file, final byte[] bytes, final int offset, final int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            if (length <= COPY_THRESHOLD) {
                final ByteBuffer src = ByteBuffer.wrap(bytes, offset, length);
                while (src.hasRemaining()) {
                    channel.write(src);
                }
                return;
            }
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            try {
                map.put(bytes, offset, length);
            } finally {
                IoUtil.unmap(map);
            }
        }
    }

    /**
     * Reads a payload file and deletes it.
     *
     * @param file   the file.
     * @param length the size announced in the message.
     * @return the payload.
     * @throws IOException when the file is missing or its size differs from the announced one (it is deleted anyway).
     */
    public static byte[] readAndDelete(final Path file, final int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final long size = channel.size();
            if (size != length) {
                throw new IOException("shm payload " + file + " has " + size + " bytes, the message announced " + length);
            }
            final byte[] bytes = new byte[length];
            if (length <= COPY_THRESHOLD) {
                final ByteBuffer dst = ByteBuffer.wrap(bytes);
                while (dst.hasRemaining()) {
                    if (channel.read(dst) < 0) {
                        throw new IOException("shm payload " + file + " ended early");
                    }
                }
                return bytes;
            }
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
            try {
                map.get(bytes);
            } finally {
                IoUtil.unmap(map);
            }
            return bytes;
        } catch (final NoSuchFileException e) {
            throw new IOException("shm payload " + file + " does not exist (deleted after a timeout, or never written)", e);
        } finally {
            Fifos.deleteQuietly(file);
        }
    }

    /** Deletes a payload file if it exists (late results, failed calls). */
    public static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (final IOException ignored) {
            // Best effort; the IPC directory is removed at shutdown.
        }
    }
}
