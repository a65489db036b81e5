package io.nightcorej.loadgen.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a JSON result: to {@code --json FILE} if given, and as the last line of stdout. */
final class ResultOutput {
    private ResultOutput() {
    }

    static void emit(final PrintStream out, final String json, final Path file) throws IOException {
        if (file != null) {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
        }
        out.println(json);
        out.flush();
    }
}
