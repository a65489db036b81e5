package io.nightcorej.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs one external command to completion (the stack tool, the load generator). The seam tests replace to
 * simulate a failing {@code bin/stack up} without starting processes.
 */
public interface CommandRunner {

    /**
     * @param argv    the command and its arguments
     * @param workDir working directory
     * @param timeout the command is killed (with its descendants) when it runs longer
     * @param log     stdout and stderr are also written here, for the run directory
     */
    Result run(List<String> argv, Path workDir, Duration timeout, Path log, Map<String, String> env) throws IOException;

    /** What a finished (or killed) command left behind. */
    record Result(int exitCode, boolean timedOut, String stdout, String stderr) {
        public boolean ok() {
            return !timedOut && exitCode == 0;
        }

        /** The last non-blank stdout line (RULES.md: a CLI prints its JSON result last). */
        public String lastLine() {
            String[] lines = stdout.strip().split("\\R");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].isBlank()) return lines[i].strip();
            }
            return "";
        }

        /** A one-line reason for a failure report: exit code or timeout, plus the end of stderr. */
        public String describeFailure() {
            String tail = stderr.strip();
            if (tail.isEmpty()) tail = stdout.strip();
            // The last line that is not part of a stack trace's frames ("\tat ...", "\t... 13 more"): for a Java
            // failure that is the innermost "Caused by: ...", which says what went wrong.
            String[] lines = tail.split("\\R");
            String last = lines.length == 0 ? "" : lines[lines.length - 1];
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].isBlank() && !Character.isWhitespace(lines[i].charAt(0)) && !lines[i].startsWith("---")) {
                    last = lines[i];
                    break;
                }
            }
            if (last.length() > 400) last = last.substring(0, 400) + "…";
            return (timedOut ? "timed out" : "exit code " + exitCode) + (last.isEmpty() ? "" : ": " + last);
        }
    }
}
