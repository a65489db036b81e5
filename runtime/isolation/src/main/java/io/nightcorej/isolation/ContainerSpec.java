package io.nightcorej.isolation;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a container runs and what it may see. Immutable; build one with {@link #builder()}.
 *
 * <p>Paths are the same inside and outside: a bind of {@code /work/main/app.jar} appears at {@code /work/main/app.jar}
 * in the container, so command lines and class paths need no rewriting. Inside a sandbox the program sees only
 * {@code /usr}, {@code /etc} (read-only), a private {@code /proc}, {@code /dev} and {@code /tmp}, the read-only binds and
 * the read-write binds; everything else, including the root itself, is read-only or absent.
 *
 * <p>The environment is the same for every backend: {@code PATH} (the running JDK's {@code bin} first), {@code HOME=/tmp},
 * {@code JAVA_HOME}, {@code LANG} and {@code TZ} when set on the host, host variables named {@code NIGHTCORE_STACK_*},
 * then {@link Builder#env(String, String)}. Other host variables are not inherited, so a plain-process container
 * behaves like a sandboxed one.
 */
public final class ContainerSpec {
    /** Host variables with this prefix are passed into every container (see {@link #fullEnvironment()}). */
    public static final String INHERITED_PREFIX = "NIGHTCORE_STACK_";

    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final List<Path> readOnlyBinds;
    private final List<Path> readWriteBinds;
    private final String hostname;
    private final Redirect stdin;
    private final Redirect stdout;
    private final Redirect stderr;
    private final boolean dieWithParent;
    private final boolean newSession;
    private final String cpuAffinity;
    private final String schedulingPolicy;

    private ContainerSpec(Builder b) {
        this.command = List.copyOf(b.command);
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.workingDirectory = b.workingDirectory;
        this.readOnlyBinds = List.copyOf(b.readOnlyBinds);
        this.readWriteBinds = List.copyOf(b.readWriteBinds);
        this.hostname = b.hostname;
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.dieWithParent = b.dieWithParent;
        this.newSession = b.newSession;
        this.cpuAffinity = b.cpuAffinity;
        this.schedulingPolicy = b.schedulingPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> command() {
        return command;
    }

    /** @return the variables set on top of the base environment (see the class comment). */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return the working directory inside the container; {@code null} means {@code /tmp} in a sandbox. */
    public Path workingDirectory() {
        return workingDirectory;
    }

    public List<Path> readOnlyBinds() {
        return readOnlyBinds;
    }

    public List<Path> readWriteBinds() {
        return readWriteBinds;
    }

    public String hostname() {
        return hostname;
    }

    public Redirect stdin() {
        return stdin;
    }

    public Redirect stdout() {
        return stdout;
    }

    public Redirect stderr() {
        return stderr;
    }

    public boolean dieWithParent() {
        return dieWithParent;
    }

    /** @return whether the host-side root starts a new session (and process group) of its own. */
    public boolean newSession() {
        return newSession;
    }

    /** @return the {@code taskset -c} CPU list the whole container is pinned to, or {@code null}. */
    public String cpuAffinity() {
        return cpuAffinity;
    }

    /** @return {@code batch}, {@code normal}, or null (inherit the starting process's policy). */
    public String schedulingPolicy() {
        return schedulingPolicy;
    }

    /**
     * @return the host-side prefix every backend puts before its own command line: {@code setsid} for
     *         {@link #newSession()}, {@code taskset -c LIST} for {@link #cpuAffinity()}, {@code chrt --batch 0} for
     *         {@link #schedulingPolicy()} batch. All keep the pid (they exec).
     */
    List<String> hostPrefix() {
        List<String> prefix = new ArrayList<>();
        if (newSession) prefix.add(Isolation.findBinary("setsid").map(Path::toString).orElse("setsid"));
        if (cpuAffinity != null) {
            prefix.add(Isolation.findBinary("taskset").map(Path::toString).orElse("taskset"));
            prefix.add("-c");
            prefix.add(cpuAffinity);
        }
        if (schedulingPolicy != null) prefix.addAll(CpuScheduling.commandPrefix(schedulingPolicy));
        return prefix;
    }

    /**
     * @return where the program starts: the configured directory, else the JVM's current directory when it is visible
     *         inside (always for a plain process; in a sandbox only when a bind covers it), else {@code /tmp}.
     */
    public Path effectiveWorkingDirectory(boolean sandboxed) {
        if (workingDirectory != null) return workingDirectory;
        Path cwd = Path.of("").toAbsolutePath().normalize();
        if (!sandboxed) return cwd;
        for (Path bind : allBinds()) {
            if (cwd.startsWith(bind)) return cwd;
        }
        return Path.of("/tmp");
    }

    /**
     * @return every bind, read-only and read-write, parents before the paths below them (the order to mount them in).
     *         A configured working directory that no bind covers (and that is not under {@code /usr} or {@code /etc})
     *         is added read-only, so the program can start there; everything else stays invisible.
     */
    public List<Path> allBinds() {
        List<Path> all = new ArrayList<>(readOnlyBinds);
        all.addAll(readWriteBinds);
        if (workingDirectory != null && workingDirectory.getNameCount() > 0 && Files.isDirectory(workingDirectory)
                && !workingDirectory.startsWith("/usr") && !workingDirectory.startsWith("/etc")
                && all.stream().noneMatch(workingDirectory::startsWith)) {
            all.add(workingDirectory);
        }
        all.sort((a, b) -> Integer.compare(a.getNameCount(), b.getNameCount()));
        return all;
    }

    /** @return the complete environment the program sees: base variables, then {@link #environment()}. */
    public Map<String, String> fullEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        Path javaHome = Isolation.javaHome();
        env.put("PATH", javaHome.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", "/tmp");
        env.put("JAVA_HOME", javaHome.toString());
        for (String name : new String[] {"LANG", "LC_ALL", "TZ"}) {
            String value = System.getenv(name);
            if (value != null) env.put(name, value);
        }
        // A deployment tool marks every process it starts with NIGHTCORE_STACK_*; keeping the mark across containers
        // lets it find (and stop) all of them, however deep and wherever re-parented.
        System.getenv().forEach((k, v) -> {
            if (k.startsWith(INHERITED_PREFIX)) env.put(k, v);
        });
        env.putAll(environment);
        return env;
    }

    @Override
    public String toString() {
        return "ContainerSpec{command=" + command + ", ro=" + readOnlyBinds + ", rw=" + readWriteBinds
                + ", cwd=" + workingDirectory + ", hostname=" + hostname + '}';
    }

    /** Fluent builder; {@link #build()} validates. */
    public static final class Builder {
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private final Set<Path> readOnlyBinds = new LinkedHashSet<>();
        private final Set<Path> readWriteBinds = new LinkedHashSet<>();
        private String hostname = "fn-container";
        private Redirect stdin = Redirect.PIPE;
        private Redirect stdout = Redirect.INHERIT;
        private Redirect stderr = Redirect.INHERIT;
        private boolean dieWithParent = true;
        private boolean newSession;
        private String cpuAffinity;
        private String schedulingPolicy;

        private Builder() {
        }

        public Builder command(List<String> args) {
            command.clear();
            command.addAll(args);
            return this;
        }

        public Builder command(String... args) {
            return command(List.of(args));
        }

        public Builder env(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value of " + name));
            return this;
        }

        public Builder env(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /**
         * The directory the program starts in. In a sandbox it is bound read-only when no bind covers it (so a caller
         * may pass its own current directory); default: see {@link ContainerSpec#effectiveWorkingDirectory}.
         */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir == null ? null : dir.toAbsolutePath().normalize();
            return this;
        }

        /** Makes a host file or directory visible read-only at the same path (class path jars, config files). */
        public Builder readOnlyBind(Path path) {
            readOnlyBinds.add(path.toAbsolutePath().normalize());
            return this;
        }

        /** Makes a host directory visible and writable at the same path (the IPC directory shared with the engine). */
        public Builder readWriteBind(Path path) {
            readWriteBinds.add(path.toAbsolutePath().normalize());
            return this;
        }

        /** The host name inside a sandbox (ignored by the {@code process} backend, which shares the host's uts). */
        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        public Builder stdin(Redirect redirect) {
            this.stdin = redirect;
            return this;
        }

        public Builder stdout(Redirect redirect) {
            this.stdout = redirect;
            return this;
        }

        public Builder stderr(Redirect redirect) {
            this.stderr = redirect;
            return this;
        }

        /** Sends both output streams to one file, appending. */
        public Builder logTo(Path file) {
            Redirect r = Redirect.appendTo(file.toFile());
            this.stdout = r;
            this.stderr = r;
            return this;
        }

        /** Whether the container is killed when the starting JVM dies (default true). */
        public Builder dieWithParent(boolean value) {
            this.dieWithParent = value;
            return this;
        }

        /**
         * Starts the container in a session and process group of its own (via {@code setsid}), so a deployment tool
         * can signal the group, and terminal signals to the starter do not reach it. Default false.
         */
        public Builder newSession(boolean value) {
            this.newSession = value;
            return this;
        }

        /** Pins the container and everything it starts to CPUs ({@code taskset -c} list, e.g. {@code "1"} or {@code "0-3"}). */
        public Builder cpuAffinity(String cpuList) {
            this.cpuAffinity = cpuList == null || cpuList.isBlank() ? null : cpuList.trim();
            return this;
        }

        /**
         * Starts the container under a Linux scheduling policy ({@link CpuScheduling}): {@code batch} or {@code normal};
         * null inherits the policy of the process that starts it.
         */
        public Builder schedulingPolicy(String policy) {
            this.schedulingPolicy = policy == null ? null : CpuScheduling.resolve(policy);
            return this;
        }

        public ContainerSpec build() {
            if (cpuAffinity != null && !cpuAffinity.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*")) {
                throw new IllegalArgumentException("invalid CPU list for taskset -c: " + cpuAffinity);
            }
            if (command.isEmpty()) throw new IllegalArgumentException("container command is empty");
            if (hostname == null || !hostname.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}")) {
                throw new IllegalArgumentException("invalid container hostname: " + hostname);
            }
            for (Path p : readOnlyBinds) {
                if (!Files.exists(p)) throw new IllegalArgumentException("read-only bind does not exist: " + p);
            }
            for (Path p : readWriteBinds) {
                if (!Files.isDirectory(p)) throw new IllegalArgumentException("read-write bind is not a directory: " + p);
                if (p.getNameCount() == 0) throw new IllegalArgumentException("read-write bind of / is not allowed");
            }
            Objects.requireNonNull(stdin, "stdin");
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
            return new ContainerSpec(this);
        }
    }
}
