package io.nightcorej.engine;

import io.nightcorej.isolation.ContainerSpec;
import io.nightcorej.isolation.Isolation;
import io.nightcorej.isolation.IsolationBackend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the engine starts a function container process. The default runs a plain child process; the isolation module
 * (bubblewrap/crun sandboxes) plugs in here.
 */
@FunctionalInterface
public interface ContainerStarter {

    /**
     * What to run and what it may see.
     *
     * @param command        the command line.
     * @param env            extra environment variables.
     * @param workingDir     the working directory.
     * @param readOnlyBinds  paths the container reads (classpath entries, the JDK).
     * @param readWriteBinds paths shared read-write, at the same path (the IPC directory).
     * @param hostname       the container's host name.
     * @param isolation      "auto", "process" or "sandbox" from the function's config.
     * @param logFile        where stdout and stderr go.
     */
    record Spec(List<String> command, Map<String, String> env, Path workingDir, List<Path> readOnlyBinds,
                List<Path> readWriteBinds, String hostname, String isolation, Path logFile) {
    }

    /**
     * @param spec what to run.
     * @return the started process (the engine watches it and destroys it at shutdown).
     * @throws IOException when it cannot be started.
     */
    Process start(Spec spec) throws IOException;

    /**
     * Starts the container through the isolation module: {@code process} as a plain child, {@code sandbox} in a
     * bubblewrap/crun sandbox (an error if none works here), {@code auto} in a sandbox when available, else as a
     * process with a one-line warning. The sandbox sees the read-only and read-write binds at their host paths.
     */
    static ContainerStarter isolated() {
        return spec -> {
            final IsolationBackend backend;
            try {
                backend = Isolation.select(spec.isolation());
            } catch (final IllegalStateException | IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
            final ContainerSpec.Builder builder = ContainerSpec.builder().command(spec.command()).env(spec.env())
                .workingDirectory(spec.workingDir()).hostname(spec.hostname()).logTo(spec.logFile()).dieWithParent(true);
            spec.readOnlyBinds().forEach(builder::readOnlyBind);
            spec.readWriteBinds().forEach(builder::readWriteBind);
            return backend.start(builder.build());
        };
    }

    /** Runs the container as a plain child process (no namespaces), whatever the isolation setting says. */
    static ContainerStarter plainProcess() {
        return spec -> {
            final ProcessBuilder builder = new ProcessBuilder(spec.command());
            builder.environment().putAll(spec.env());
            builder.directory(spec.workingDir().toFile());
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            return builder.start();
        };
    }
}
