package io.nightcorej.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes; a command that outlives its timeout is killed together with its children. */
public final class ProcessCommandRunner implements CommandRunner {

    @Override
    public Result run(List<String> argv, Path workDir, Duration timeout, Path log, Map<String, String> env)
        throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Path out = log.resolveSibling(log.getFileName() + ".stdout");
        Path err = log.resolveSibling(log.getFileName() + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().close();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) kill(process);
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.writeString(log, "$ " + String.join(" ", argv) + "\n" + stdout
            + (stderr.isEmpty() ? "" : "--- stderr ---\n" + stderr)
            + (finished ? "--- exit " + process.exitValue() + " ---\n" : "--- killed after " + timeout + " ---\n"));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return new Result(finished ? process.exitValue() : -1, !finished, stdout, stderr);
    }

    private static void kill(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
