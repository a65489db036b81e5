package io.nightcorej.isolation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A plain child process: no namespaces, the host's view of everything. The same environment and working directory
 * rules as the sandboxes apply, and with {@link ContainerSpec#dieWithParent()} the child is started through
 * {@code setpriv --pdeathsig KILL} so that it dies with the JVM like a sandboxed one.
 */
final class ProcessBackend implements IsolationBackend {
    private static final Optional<Path> SETPRIV = Isolation.findBinary("setpriv");

    @Override
    public String name() {
        return "process";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public boolean isSandboxed() {
        return false;
    }

    @Override
    public Process start(ContainerSpec spec) throws IOException {
        List<String> cmd = new ArrayList<>(spec.hostPrefix());
        if (spec.dieWithParent() && SETPRIV.isPresent()) {
            cmd.add(SETPRIV.get().toString());
            cmd.add("--pdeathsig");
            cmd.add("KILL");
            cmd.add("--");
        }
        cmd.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(cmd)
            .directory(spec.effectiveWorkingDirectory(false).toFile())
            .redirectInput(spec.stdin())
            .redirectOutput(spec.stdout())
            .redirectError(spec.stderr());
        pb.environment().clear();
        pb.environment().putAll(spec.fullEnvironment());
        try {
            return new ContainerProcess(Spawner.start(pb), false, () -> { });
        } catch (IOException e) {
            throw new IOException("isolation process: cannot start " + spec.command().get(0) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
