package io.nightcorej.ipc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The kinds of message channel between the engine and function containers. Both carry fixed 1024-byte messages; a
 * channel has one receiving process and any number of sending threads and processes.
 *
 * <ul>
 *   <li>{@link #FIFO}: a named pipe, as in Nightcore. A 1024-byte write is atomic (below PIPE_BUF), so many writers
 *   share one pipe. Every message costs a write and a read syscall and, when the reader sleeps, a wake-up.</li>
 *   <li>{@link #SHM}: an Agrona many-to-one ring buffer in a mapped file. The receiver spins for a bounded time, then
 *   sleeps on a wake-up FIFO which a sender writes one byte to only when the receiver says it is asleep.</li>
 * </ul>
 *
 * <p>Lifecycle: the engine {@link #create}s the files, the receiver {@link #openReceiver opens} its end, senders
 * {@link #openSender open} theirs, and the engine {@link #delete}s the files when the receiver is gone.
 */
public enum MessageChannel {

    /** Named pipes. */
    FIFO("fifo") {
        @Override
        public void create(final Path path) throws IOException {
            Fifos.mkfifo(path);
        }

        @Override
        public MessageReceiver openReceiver(final Path path, final int spinMicros) throws IOException {
            return new FifoMessageReceiver(path);
        }

        @Override
        public MessageSender openSender(final Path path) throws IOException {
            return new FifoMessageSender(path);
        }

        @Override
        public void delete(final Path path) {
            Fifos.deleteQuietly(path);
        }
    },

    /** Shared-memory rings with a bounded spin and a FIFO wake-up. */
    SHM("ring") {
        @Override
        public void create(final Path path) throws IOException {
            ShmRing.create(path);
        }

        @Override
        public MessageReceiver openReceiver(final Path path, final int spinMicros) throws IOException {
            return new ShmRing.Receiver(path, spinMicros);
        }

        @Override
        public MessageSender openSender(final Path path) throws IOException {
            return new ShmRing.Sender(path);
        }

        @Override
        public void delete(final Path path) {
            ShmRing.delete(path);
        }
    };

    private final String directoryName;

    MessageChannel(final String directoryName) {
        this.directoryName = directoryName;
    }

    /** @return the subdirectory of the IPC root holding channels of this kind. */
    public String directoryName() {
        return directoryName;
    }

    /**
     * @param name "fifo" or "shm" (as in the stack config's engine.channel).
     * @return the kind.
     */
    public static MessageChannel of(final String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "fifo": return FIFO;
            case "shm": return SHM;
            default: throw new IllegalArgumentException("unknown channel kind \"" + name + "\" (expected fifo or shm)");
        }
    }

    /** @return the config name: "fifo" or "shm". */
    public String configName() {
        return this == FIFO ? "fifo" : "shm";
    }

    /**
     * Creates the channel's files.
     *
     * @param path the channel path from {@link IpcLayout#channel}.
     * @throws IOException when they cannot be created.
     */
    public abstract void create(Path path) throws IOException;

    /**
     * Opens the receiving end. Never blocks waiting for a sender.
     *
     * @param path       the channel path.
     * @param spinMicros how long the receiver busy-polls before it sleeps (shm only).
     * @return the receiver.
     * @throws IOException when the channel does not exist.
     */
    public abstract MessageReceiver openReceiver(Path path, int spinMicros) throws IOException;

    /**
     * Opens a sending end.
     *
     * @param path the channel path.
     * @return the sender.
     * @throws IOException when the channel does not exist or (fifo) has no receiver.
     */
    public abstract MessageSender openSender(Path path) throws IOException;

    /** Removes the channel's files; missing files are fine. */
    public abstract void delete(Path path);
}
