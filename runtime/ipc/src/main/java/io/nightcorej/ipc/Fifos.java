package io.nightcorej.ipc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Named pipes from Java, which has no mkfifo: the coreutils command creates them. */
public final class Fifos {

    private Fifos() {
    }

    /**
     * Creates a named pipe (mode 0600).
     *
     * @param path where.
     * @throws IOException when mkfifo fails or takes more than 10 s.
     */
    public static void mkfifo(final Path path) throws IOException {
        final Process process = new ProcessBuilder("mkfifo", "-m", "0600", path.toString()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("mkfifo " + path + " did not finish within 10 s");
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating FIFO " + path, e);
        }
        if (process.exitValue() != 0) {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            throw new IOException("mkfifo " + path + " failed (exit " + process.exitValue() + "): " + output);
        }
    }

    /** Deletes a file, ignoring errors (used on shutdown and cleanup paths). */
    public static void deleteQuietly(final Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (final IOException ignored) {
            // Cleanup is best effort; the engine removes the whole IPC directory at shutdown.
        }
    }
}
