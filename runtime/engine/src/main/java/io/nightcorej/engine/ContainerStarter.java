package io.nightcorej.engine;

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
