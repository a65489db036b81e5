package io.nightcorej.baselines.stack;

import io.nightcorej.baselines.openfaas.WatchdogMain;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.nightcorej.isolation.CpuScheduling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/stack}: deploys one system under test — {@code nightcore}, {@code rpc} (Thrift RPC servers) or
 * {@code openfaas} (gateway + watchdogs) — with the same storage and the same front end, and takes it down again.
 * Every command prints one JSON line last. See baselines/README.md.
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
    subcommands = {StackTool.Up.class, StackTool.Load.class, StackTool.Status.class, StackTool.Down.class,
        StackTool.BenchSmoke.class},
    description = "bring a whole system (nightcore|rpc|openfaas) up and down on this host")
public final class StackTool {
    static final String DEFAULT_STATE_DIR = "/tmp/nightcore-j-stack";
    static final String DEFAULT_JVM_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms64m -Xmx256m -Xss1m -XX:+ExitOnOutOfMemoryError "
        + "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command in this JVM (tests use this) and returns its exit code. */
    public static int run(String... args) {
        return new CommandLine(new StackTool()).execute(args);
    }

    /** The options every command shares. */
    static final class Common {
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE_DIR, description = "where the stack keeps its state")
        Path stateDir;

        @Option(names = "--repo-root", description = "repository root (default: NIGHTCORE_REPO or found from this jar)")
        Path repoRoot;

        Path stateDir() {
            return stateDir.toAbsolutePath().normalize();
        }

        Path repo() {
            if (repoRoot != null) return repoRoot.toAbsolutePath().normalize();
            String env = System.getenv("NIGHTCORE_REPO");
            if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath().normalize();
            try {
                // baselines/target/{baselines.jar | classes} → repository root
                Path here = Path.of(StackTool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return here.getParent().getParent().getParent();
            } catch (URISyntaxException e) {
                return Path.of("").toAbsolutePath();
            }
        }
    }

    /** Options of {@code up}, also handed to {@link StackUp}. */
    static final class UpOptions {
        @Option(names = "--system", required = true, description = "nightcore | rpc | openfaas")
        String system;

        @Option(names = "--workload", required = true, description = "e.g. socialnetwork")
        String workload;

        @Option(names = "--storage", defaultValue = "embedded", description = "embedded | real (Debian redis-server/memcached)")
        String storage;

        @Option(names = "--cpus-sut", description = "taskset -c CPU list for every process of the system under test")
        String cpusSut;

        @Option(names = "--cpus-loadgen", description = "CPU list for the load generator (recorded; used by load/bench-smoke)")
        String cpusLoadgen;

        @Option(names = "--sched", description = "Linux scheduling policy of EVERY process of the system under test, "
            + "whichever the system: batch (SCHED_BATCH, default) | normal; env NIGHTCORE_SCHED. See runtime/README.md.")
        String sched;

        @Option(names = "--isolation", description = "process | sandbox | bwrap | crun | auto (default: NIGHTCORE_ISOLATION or auto)")
        String isolation;

        @Option(names = "--timeout", defaultValue = "180", description = "seconds for the whole stack to become healthy")
        long timeoutS;

        @Option(names = "--max-workers", defaultValue = "20",
            description = "per service: Nightcore maxWorkers = watchdog threads = selector-server threads")
        int maxWorkers;

        @Option(names = "--min-workers", defaultValue = "4", description = "Nightcore minWorkers")
        int minWorkers;

        @Option(names = "--rpc-server", defaultValue = "threadpool", description = "threadpool | selector")
        String rpcServer;

        @Option(names = "--frontend", defaultValue = "auto", description = "auto | process | functions: the front end as "
            + "one process (FrontendMain) or, on nightcore, as one function per front-end path, as NC ran HotelReservation; "
            + "auto = functions on nightcore when the workload's front end qualifies (see baselines/README.md)")
        String frontend;

        @Option(names = "--frontend-workers", defaultValue = "64")
        int frontendWorkers;

        @Option(names = "--nightcore-bin", description = "the Nightcore CLI script (default: <repo>/bin/nightcore)")
        Path nightcoreBinOverride;

        @Option(names = "--gateway-io-threads", defaultValue = "1", description = "Nightcore and OpenFaaS gateway I/O threads")
        int gatewayIoThreads;

        @Option(names = "--call-timeout-ms", defaultValue = "10000", description = "deadline of one call in every system")
        long callTimeoutMs;

        @Option(names = "--jvm-opts", description = "flags for every JVM of every system (default: " + DEFAULT_JVM_OPTS + ")")
        String jvmOpts;

        @Option(names = "--storage-heap", defaultValue = "1g", description = "maximum heap of the storage process "
            + "(-Xmx, after --jvm-opts; default ${DEFAULT-VALUE}): embedded storage keeps every document, cache entry "
            + "and timeline in this heap, and the data set grows with every compose-post")
        String storageHeap;

        @Option(names = "--set", description = "k=v setting for every service and the front end (repeatable)")
        List<String> sets = new ArrayList<>();

        @Option(names = "--workload-jar", description = "the workload's shaded jar (default by workload name)")
        Path workloadJar;

        Path baselinesJar;
        Path baselinesClasses;
        Path nightcoreBin;
        Map<String, String> extraEnv = new LinkedHashMap<>();

        List<String> jvmOpts() {
            String s = jvmOpts != null ? jvmOpts : System.getenv().getOrDefault("STACK_JVM_OPTS", DEFAULT_JVM_OPTS);
            return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
        }

        /**
         * Settings for every service and the front end: {@code --set} values over the stack's defaults. The one default,
         * {@code storage.timeout.ms=5000}, replaces the services' 1 s, which fires spuriously when a 2-core machine runs
         * a whole stack plus a load generator; it is the same for every system.
         */
        Map<String, String> settings() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("storage.timeout.ms", "5000");
            m.putAll(WatchdogMain.settings(sets));
            return m;
        }

        List<String> setArgs() {
            List<String> a = new ArrayList<>();
            for (var e : settings().entrySet()) {
                a.add("--set");
                a.add(e.getKey() + "=" + e.getValue());
            }
            return a;
        }

        /** In the RPC server: selector = request threads (the worker budget); threadpool = connection cap. */
        int rpcWorkers() {
            return rpcServer.equals("selector") ? maxWorkers : 1024;
        }
    }

    static Path workloadJar(Path repo, String workload) {
        String module = switch (workload) {
            case "socialnetwork" -> "social-network";
            case "moviereview" -> "movie-review";
            case "hotelreservation" -> "hotel-reservation";
            case "mediamicroservices" -> "media-microservices";
            default -> workload;
        };
        return repo.resolve("microservices").resolve(module).resolve("target").resolve(module + ".jar");
    }

    /** What to ask a workload's jar, given the class loader that sees only that jar. */
    @FunctionalInterface
    private interface JarQuery<T> {
        T ask(ClassLoader loader) throws ReflectiveOperationException;
    }

    /**
     * Runs {@code query} against the workload's jar in a private class loader (the workload's classes, not this
     * tool's, with the loader as the thread's context loader); an exception the workload throws becomes an
     * {@link IllegalArgumentException} with its message.
     */
    private static <T> T inWorkloadJar(Path workloadJar, JarQuery<T> query) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {workloadJar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            t.setContextClassLoader(loader);
            try {
                return query.ask(loader);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw new IllegalArgumentException(String.valueOf(e.getCause().getMessage()), e.getCause());
            } finally {
                t.setContextClassLoader(previous);
            }
        }
    }

    /** Asks the workload (from its own jar) for its service names. */
    @SuppressWarnings("unchecked")
    static List<String> services(Path workloadJar, String workload) throws Exception {
        return inWorkloadJar(workloadJar, loader -> {
            Class<?> registry = Class.forName("io.nightcorej.microservices.common.deploy.WorkloadRegistry", true, loader);
            Object w = registry.getMethod("find", String.class).invoke(null, workload);
            Method services = loader.loadClass("io.nightcorej.microservices.common.deploy.Workload").getMethod("services");
            return List.copyOf((List<String>) services.invoke(w));
        });
    }

    /**
     * Asks the workload's jar which front-end paths can run as Nightcore functions
     * ({@code FrontendFunction.functionsOf}): function name to path, empty when they cannot (or when the jar's
     * microservices-common predates FrontendFunction).
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> frontendFunctions(Path workloadJar, String workload) throws Exception {
        return inWorkloadJar(workloadJar, loader -> {
            try {
                Class<?> ff = Class.forName(StackUp.FRONTEND_FUNCTION, true, loader);
                return new LinkedHashMap<>((Map<String, String>) ff.getMethod("functionsOf", String.class).invoke(null, workload));
            } catch (ClassNotFoundException e) {
                return Map.of();
            }
        });
    }

    /** The front-end functions to deploy for {@code --frontend} (empty = a FrontendMain process). */
    static Map<String, String> chooseFrontend(UpOptions o, Path workloadJar) throws Exception {
        switch (o.frontend) {
            case "process":
                return Map.of();
            case "auto":
                return o.system.equals("nightcore") ? frontendFunctions(workloadJar, o.workload) : Map.of();
            case "functions":
                if (!o.system.equals("nightcore")) {
                    throw new IllegalArgumentException("--frontend functions is for --system nightcore only");
                }
                Map<String, String> f = frontendFunctions(workloadJar, o.workload);
                if (f.isEmpty()) {
                    throw new IllegalArgumentException("the front end of " + o.workload + " cannot run as functions: every path"
                        + " must be /<name> with name [A-Za-z0-9]+ and not a service name (FrontendFunction.functionsOf)");
                }
                return f;
            default:
                throw new IllegalArgumentException("--frontend must be auto|process|functions, not " + o.frontend);
        }
    }

    static void requireFile(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(what + " not found at " + p + " — build first: mvn -B -DskipTests package");
        }
    }

    static String json(Map<String, ?> m) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "start storage, the system and the front end")
    static final class Up implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Mixin
        UpOptions o = new UpOptions();

        @Override
        public Integer call() throws Exception {
            Path stateDir = common.stateDir();
            Path repo = common.repo();
            if (o.isolation == null) o.isolation = System.getenv().getOrDefault("NIGHTCORE_ISOLATION", "auto");
            try {
                o.sched = CpuScheduling.resolve(o.sched);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
            if (!List.of("nightcore", "rpc", "openfaas").contains(o.system)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--system must be nightcore|rpc|openfaas");
            }
            if (!List.of("embedded", "real").contains(o.storage)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--storage must be embedded|real");
            }
            if (!o.storageHeap.matches("\\d+[kKmMgG]?")) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--storage-heap must be a JVM heap size such as 512m or 1g, not '" + o.storageHeap + "'");
            }
            if (o.workloadJar == null) o.workloadJar = workloadJar(repo, o.workload);
            o.workloadJar = o.workloadJar.toAbsolutePath().normalize();
            o.baselinesJar = repo.resolve("baselines/target/baselines.jar");
            o.baselinesClasses = repo.resolve("baselines/target/baselines-classes.jar");
            o.nightcoreBin = o.nightcoreBinOverride != null ? o.nightcoreBinOverride.toAbsolutePath().normalize()
                : repo.resolve("bin/nightcore");
            if (Files.exists(StackState.file(stateDir)) || !ProcessSweep.marked(stateDir).isEmpty()) {
                System.err.println("stack up: stale stack in " + stateDir + "; taking it down first");
                Down.downQuietly(stateDir);
            }
            StackUp up;
            try {
                requireFile(o.workloadJar, "workload jar");
                requireFile(o.baselinesJar, "baselines jar");
                requireFile(o.baselinesClasses, "baselines classes jar");
                up = new StackUp(o, stateDir, services(o.workloadJar, o.workload), chooseFrontend(o, o.workloadJar));
            } catch (Exception e) {
                System.err.println("stack up: " + e.getMessage());
                System.out.println(json(Map.of("error", String.valueOf(e.getMessage()), "state_dir", stateDir.toString())));
                return 1;
            }
            Thread cleanupOnSignal = new Thread(() -> {
                System.err.println("stack up: interrupted; taking down what was started");
                Down.downQuietly(stateDir);
            });
            Runtime.getRuntime().addShutdownHook(cleanupOnSignal);
            try {
                StackState s = up.run();
                Runtime.getRuntime().removeShutdownHook(cleanupOnSignal);
                System.err.println("stack up: " + s.system + " is up (" + s.parts.size() + " parts, isolation " + s.isolation + ")");
                System.out.println(StackUp.summary(s));
                return 0;
            } catch (Exception e) {
                Runtime.getRuntime().removeShutdownHook(cleanupOnSignal);
                System.err.println("stack up: " + e.getMessage());
                Down.downQuietly(stateDir);
                System.out.println(json(Map.of("error", String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
                    "state_dir", stateDir.toString())));
                return 1;
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
        description = "stop every process of the stack (also after crashes) and remove its files")
    static final class Down implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--keep-logs", description = "keep <state-dir>/logs")
        boolean keepLogs;

        static Map<String, Object> down(Path stateDir, boolean keepLogs) throws Exception {
            List<Long> groups = new ArrayList<>();
            String ipcRoot = null;
            String stateProblem = null;
            try {
                StackState s = StackState.load(stateDir);
                s.parts.forEach(p -> groups.add(p.pid));
                ipcRoot = s.ipcRoot;
            } catch (IOException e) {
                stateProblem = e.getMessage();
            }
            java.util.Collections.reverse(groups); // front end first, storage last
            int found = ProcessSweep.marked(stateDir).size();
            List<Long> left = ProcessSweep.stopAll(stateDir, groups, 10_000);
            if (ipcRoot == null) {
                ipcRoot = "/dev/shm/nightcore-j-stack-" + Integer.toHexString(ProcessSweep.markValue(stateDir).hashCode());
            }
            deleteTree(Path.of(ipcRoot));
            Files.deleteIfExists(stateDir.resolve("nightcore.json"));
            Files.deleteIfExists(stateDir.resolve(StackState.FILE + ".tmp"));
            Files.deleteIfExists(StackState.file(stateDir));
            if (!keepLogs) deleteTree(stateDir.resolve("logs"));
            if (Files.isDirectory(stateDir)) {
                try (Stream<Path> rest = Files.list(stateDir)) {
                    if (rest.findAny().isEmpty()) Files.delete(stateDir);
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("down", left.isEmpty());
            r.put("state_dir", stateDir.toString());
            r.put("processes_found", found);
            r.put("processes_left", left);
            if (stateProblem != null) r.put("note", stateProblem + "; swept by environment mark only");
            return r;
        }

        static void downQuietly(Path stateDir) {
            try {
                Map<String, Object> r = down(stateDir, true);
                if (!Boolean.TRUE.equals(r.get("down"))) System.err.println("stack down: processes left: " + r.get("processes_left"));
            } catch (Exception e) {
                System.err.println("stack down failed: " + e);
            }
        }

        static void deleteTree(Path dir) throws IOException {
            if (!Files.exists(dir)) return;
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }

        @Override
        public Integer call() throws Exception {
            Map<String, Object> r = down(common.stateDir(), keepLogs);
            System.out.println(json(r));
            return Boolean.TRUE.equals(r.get("down")) ? 0 : 1;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "is every part alive and listening?")
    static final class Status implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Override
        public Integer call() throws Exception {
            Path stateDir = common.stateDir();
            StackState s;
            try {
                s = StackState.load(stateDir);
            } catch (IOException e) {
                System.out.println(json(Map.of("up", false, "state_dir", stateDir.toString(), "error", e.getMessage())));
                return 1;
            }
            List<Map<String, Object>> parts = new ArrayList<>();
            boolean allOk = "up".equals(s.status);
            for (StackState.Part p : s.parts) {
                Map<String, Object> m = new LinkedHashMap<>();
                boolean alive = ProcessHandle.of(p.pid).map(ProcessHandle::isAlive).orElse(false);
                boolean listening = p.port == null || listening(p.port);
                m.put("name", p.name);
                m.put("pid", p.pid);
                m.put("alive", alive);
                if (p.port != null) m.put("listening", listening);
                allOk &= alive && listening;
                parts.add(m);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("up", allOk);
            r.put("system", s.system);
            r.put("status", s.status);
            r.put("frontend_url", s.frontendUrl);
            if (s.frontend != null) r.put("frontend", s.frontend);
            if (s.gatewayUrl != null) r.put("gateway_url", s.gatewayUrl);
            if (s.statsUrl != null) r.put("stats_url", s.statsUrl);
            r.put("state_dir", s.stateDir);
            r.put("processes", ProcessSweep.marked(stateDir).size());
            r.put("parts", parts);
            System.out.println(json(r));
            return allOk ? 0 : 1;
        }

        static boolean listening(int port) {
            try (java.net.Socket sock = new java.net.Socket()) {
                sock.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true, description = "load the workload's data set through the front end")
    static final class Load implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--set", description = "workload load option k=v (e.g. dataset=..., concurrency=32)")
        List<String> sets = new ArrayList<>();

        @Option(names = "--timeout", defaultValue = "600", description = "seconds")
        long timeoutS;

        @Override
        public Integer call() throws Exception {
            StackState s = StackState.load(common.stateDir());
            List<String> cmd = new ArrayList<>();
            if (s.cpusLoadgen != null) cmd.addAll(List.of("taskset", "-c", s.cpusLoadgen));
            cmd.add(io.nightcorej.isolation.Isolation.javaExecutable());
            cmd.addAll(s.jvmOpts.stream().filter(f -> !f.startsWith("-Xmx")).toList());
            cmd.addAll(List.of("-cp", s.classpath, LoadMain.class.getName(), "--workload", s.workload,
                "--frontend", s.frontendUrl));
            for (String kv : sets) cmd.addAll(List.of("--set", kv));
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                System.out.println(json(Map.of("error", "load did not finish within " + timeoutS + " s")));
                return 1;
            }
            return p.exitValue();
        }
    }

    @Command(name = "bench-smoke", mixinStandardHelpOptions = true,
        description = "median latency of sequential compose / timeline reads at low load (one request at a time)")
    static final class BenchSmoke implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--requests", defaultValue = "200", description = "measured requests per kind")
        int requests;

        @Option(names = "--warmup", defaultValue = "100", description = "unmeasured requests per kind first")
        int warmup;

        @Override
        public Integer call() throws Exception {
            StackState s = StackState.load(common.stateDir());
            Map<String, Object> r = SmokeBench.run(s, warmup, requests);
            System.out.println(json(r));
            return 0;
        }
    }

    static String classpathOf(Path... entries) {
        return String.join(File.pathSeparator, Arrays.stream(entries).map(Path::toString).toList());
    }
}
