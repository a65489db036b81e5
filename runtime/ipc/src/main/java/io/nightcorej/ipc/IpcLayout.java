package io.nightcorej.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The names inside an engine's IPC directory, the only thing a function container shares with its engine
 * (a sandbox binds it at the same path).
 *
 * <pre>
 * &lt;ipcRoot&gt;/engine.sock                 control socket (Unix stream): launcher handshakes, worker requests
 * &lt;ipcRoot&gt;/fifo/engine_input          fifo channel, all workers to the engine (1024-byte atomic writes)
 * &lt;ipcRoot&gt;/fifo/worker_&lt;id&gt;_input     fifo channel, engine to worker or container &lt;id&gt;
 * &lt;ipcRoot&gt;/ring/&lt;name&gt;.ring           shm channel: the ring; &lt;name&gt;.wake is its wake-up FIFO
 * &lt;ipcRoot&gt;/shm/&lt;callId&gt;.i             payload over 960 bytes of a call's input (deleted by its reader)
 * &lt;ipcRoot&gt;/shm/&lt;callId&gt;.o             payload over 960 bytes of a call's output (deleted by its reader)
 * </pre>
 */
public final class IpcLayout {

    /** Channel name of the engine's input, shared by every worker. */
    public static final String ENGINE_INPUT = "engine_input";

    private final Path root;
    private final Path shmDir;

    /** @param root the IPC directory. */
    public IpcLayout(final Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.shmDir = this.root.resolve("shm");
    }

    public Path root() {
        return root;
    }

    public Path engineSocket() {
        return root.resolve("engine.sock");
    }

    /** @return the directory holding channels of this kind. */
    public Path channelDir(final MessageChannel kind) {
        return root.resolve(kind.directoryName());
    }

    /** @return the path of a named channel of this kind. */
    public Path channel(final MessageChannel kind, final String name) {
        return channelDir(kind).resolve(name);
    }

    /** @return the name of the input channel of a worker or container. */
    public static String clientInput(final int clientId) {
        return "worker_" + clientId + "_input";
    }

    public Path shmDir() {
        return shmDir;
    }

    /** @return the file holding a large input of a call. */
    public Path shmInput(final long callId) {
        return shmDir.resolve(Long.toUnsignedString(callId) + ".i");
    }

    /** @return the file holding a large output of a call. */
    public Path shmOutput(final long callId) {
        return shmDir.resolve(Long.toUnsignedString(callId) + ".o");
    }

    /** Deletes whatever is there and creates the empty directory tree (the engine does this at start). */
    public void recreate() {
        deleteAll();
        try {
            Files.createDirectories(shmDir);
            for (final MessageChannel kind : MessageChannel.values()) {
                Files.createDirectories(channelDir(kind));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create IPC directory " + root, e);
        }
    }

    /** Removes the IPC directory and everything in it. */
    public void deleteAll() {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(final Path file, final IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path dir, final IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (final NoSuchFileException ignored) {
            // Someone else removed it first: the goal is reached.
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot delete IPC directory " + root, e);
        }
    }
}
