package io.nightcorej.baselines.stack;

import io.nightcorej.microservices.common.net.LocalPorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightcorej.isolation.ContainerSpec;
import io.nightcorej.isolation.Isolation;
import io.nightcorej.isolation.IsolationBackend;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Brings one system up: storage, then the system's processes, then the front end, each waited for with a bounded
 * wait that names the part and shows its log tail when it fails. Every part runs in its own session/process group,
 * pinned to the system-under-test CPUs, with the stack's mark in its environment (see {@link ProcessSweep}); services,
 * functions and the front end run in the configured isolation backend, like Nightcore's function containers.
 */
final class StackUp {
    static final String STORAGE_MAIN = "io.nightcorej.microservices.common.storage.StorageServerMain";
    static final String FRONTEND_MAIN = "io.nightcorej.microservices.common.deploy.FrontendMain";
    static final String SERVICE_FUNCTION = "io.nightcorej.microservices.common.deploy.ServiceFunction";
    static final String FRONTEND_FUNCTION = "io.nightcorej.microservices.common.deploy.FrontendFunction";

    private final StackTool.UpOptions o;
    private final Path stateDir;
    private final Path logs;
    private final StackState state = new StackState();
    private final IsolationBackend sandbox;
    private final IsolationBackend plain = Isolation.select("process");
    private final long deadline;
    private final List<String> services;
    /** Front-end function name to path; empty = the front end runs as a FrontendMain process. */
    private final Map<String, String> frontendFunctions;

    StackUp(StackTool.UpOptions o, Path stateDir, List<String> services, Map<String, String> frontendFunctions) {
        this.frontendFunctions = frontendFunctions;
        this.o = o;
        this.stateDir = stateDir;
        this.logs = stateDir.resolve("logs");
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutS);
        this.services = services;
        this.sandbox = Isolation.select(o.isolation);
    }

    /** @return the final state (also saved). */
    StackState run() throws Exception {
        Files.createDirectories(logs);
        state.system = o.system;
        state.workload = o.workload;
        state.storage = o.storage;
        state.isolation = sandbox.name();
        state.stateDir = stateDir.toString();
        state.cpusSut = o.cpusSut;
        state.cpusLoadgen = o.cpusLoadgen;
        state.sched = o.sched;
        state.workloadJar = o.workloadJar.toString();
        state.classpath = serviceClasspath();
        state.jvmOpts = o.jvmOpts();
        state.createdAt = Instant.now().toString();
        state.status = "starting";
        state.save(stateDir);

        startStorage();
        switch (o.system) {
            case "rpc" -> startRpc();
            case "openfaas" -> startOpenFaas();
            case "nightcore" -> startNightcore();
            default -> throw new IllegalArgumentException("unknown --system " + o.system + " (nightcore|rpc|openfaas)");
        }
        if (frontendFunctions.isEmpty()) {
            startFrontend();
        } else {
            // The front end's paths are functions of the same names (NC's HotelReservation deployment): clients
            // send <gateway>/function/<path>?.. and the front end's service calls are internal calls.
            state.frontendUrl = state.gatewayUrl + "/function";
        }
        state.status = "up";
        state.save(stateDir);
        return state;
    }

    private String serviceClasspath() {
        return o.workloadJar + ":" + o.baselinesClasses;
    }

    // ---------------------------------------------------------------- parts

    private StackState.Part start(String name, String kind, boolean sandboxed, List<String> command, Integer port,
            String url) throws IOException {
        Path log = logs.resolve(name + ".log");
        // Every part starts in "/": no part depends on the caller's directory (all paths are absolute), and a
        // directory that exists in every sandbox keeps whatever the part starts from inheriting an invisible one.
        ContainerSpec.Builder spec = ContainerSpec.builder().command(command).workingDirectory(Path.of("/"))
            .env(ProcessSweep.MARK, ProcessSweep.markValue(stateDir))
            .hostname(name.toLowerCase().replaceAll("[^a-z0-9-]", "-"))
            .newSession(true).dieWithParent(false).cpuAffinity(o.cpusSut).schedulingPolicy(o.sched)
            .stdin(Redirect.from(new java.io.File("/dev/null"))).logTo(log);
        if (sandboxed) {
            spec.readOnlyBind(o.workloadJar).readOnlyBind(o.baselinesClasses);
        }
        spec.env(o.extraEnv);
        IsolationBackend backend = sandboxed ? sandbox : plain;
        Process p = backend.start(spec.build());
        StackState.Part part = new StackState.Part(name, kind, p.pid(), port, url, log.toString(), backend.isSandboxed());
        state.parts.add(part);
        state.save(stateDir);
        return part;
    }

    private List<String> java(String mainClass, String classpath) {
        List<String> c = new ArrayList<>();
        c.add(Isolation.javaExecutable());
        c.addAll(o.jvmOpts());
        c.add("-cp");
        c.add(classpath);
        c.add(mainClass);
        return c;
    }

    /** Below the ephemeral range: the parts bind them later, and a loopback connection must not take one meanwhile. */
    private static List<Integer> freePorts(int n) {
        return LocalPorts.outsideEphemeralRange(n);
    }

    // ---------------------------------------------------------------- storage

    private void startStorage() throws Exception {
        List<Integer> ports = freePorts(3);
        List<String> cmd = java(STORAGE_MAIN, o.workloadJar.toString());
        // After the common flags, so it wins: the embedded stores' whole data set lives in this heap (see --storage-heap).
        cmd.add(cmd.indexOf("-cp"), "-Xmx" + o.storageHeap);
        cmd.addAll(List.of("--mode", o.storage, "--mongo-port", ports.get(0).toString(), "--redis-port", ports.get(1).toString(),
            "--memcached-port", ports.get(2).toString()));
        StackState.Part part = start("storage", "storage", false, cmd, null, null);
        JsonNode ready = awaitJsonLine(part, "mongo");
        state.storageAddresses.put("storage.mongo", ready.get("mongo").asText());
        state.storageAddresses.put("storage.redis", ready.get("redis").asText());
        state.storageAddresses.put("storage.memcached", ready.get("memcached").asText());
        for (int port : ports) awaitPort(part, port);
        state.save(stateDir);
    }

    private List<String> storageSets() {
        List<String> sets = new ArrayList<>();
        state.storageAddresses.forEach((k, v) -> {
            sets.add("--set");
            sets.add(k + "=" + v);
        });
        return sets;
    }

    // ---------------------------------------------------------------- systems

    private void startRpc() throws Exception {
        List<Integer> ports = freePorts(services.size());
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            addresses.add("--set");
            addresses.add("services." + services.get(i) + "=127.0.0.1:" + ports.get(i));
        }
        List<StackState.Part> parts = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            String s = services.get(i);
            List<String> cmd = java("io.nightcorej.baselines.rpc.RpcServerMain", serviceClasspath());
            cmd.addAll(List.of("--workload", o.workload, "--service", s, "--port", ports.get(i).toString(),
                "--server", o.rpcServer, "--workers", Integer.toString(o.rpcWorkers())));
            cmd.addAll(storageSets());
            cmd.addAll(addresses);
            cmd.addAll(o.setArgs());
            parts.add(start(s, "rpc-server", true, cmd, ports.get(i), "127.0.0.1:" + ports.get(i)));
        }
        for (StackState.Part p : parts) {
            awaitJsonLine(p, "service");
            awaitPort(p, p.port);
        }
        frontendSets.addAll(addresses);
        frontendSets.addAll(List.of("--set", "transport=rpc"));
    }

    private final List<String> frontendSets = new ArrayList<>();

    private void startOpenFaas() throws Exception {
        List<Integer> ports = freePorts(services.size() + 1);
        int gatewayPort = ports.get(services.size());
        String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        List<String> gw = java("io.nightcorej.baselines.openfaas.FaasGatewayMain", o.baselinesJar.toString());
        gw.addAll(List.of("--port", Integer.toString(gatewayPort), "--io-threads", Integer.toString(o.gatewayIoThreads),
            "--timeout-ms", Long.toString(o.callTimeoutMs)));
        for (int i = 0; i < services.size(); i++) {
            gw.addAll(List.of("--route", services.get(i) + "=127.0.0.1:" + ports.get(i)));
        }
        StackState.Part gateway = start("faas-gateway", "gateway", false, gw, gatewayPort, gatewayUrl);
        List<StackState.Part> parts = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            String s = services.get(i);
            List<String> cmd = java("io.nightcorej.baselines.openfaas.WatchdogMain", serviceClasspath());
            cmd.addAll(List.of("--function", s, "--port", ports.get(i).toString(), "--gateway", gatewayUrl,
                "--workers", Integer.toString(o.maxWorkers), "--timeout-ms", Long.toString(o.callTimeoutMs),
                "--handler", SERVICE_FUNCTION, "--set", "workload=" + o.workload, "--set", "service=" + s));
            cmd.addAll(storageSets());
            cmd.addAll(o.setArgs());
            parts.add(start(s, "watchdog", true, cmd, ports.get(i), "http://127.0.0.1:" + ports.get(i)));
        }
        awaitJsonLine(gateway, "gateway_url");
        awaitPort(gateway, gatewayPort);
        for (StackState.Part p : parts) {
            awaitJsonLine(p, "watchdog_url");
            awaitPort(p, p.port);
        }
        state.gatewayUrl = gatewayUrl;
        frontendSets.addAll(List.of("--set", "transport=gateway", "--set", "gateway.url=" + gatewayUrl));
    }

    private void startNightcore() throws Exception {
        if (!Files.isRegularFile(o.nightcoreBin)) {
            throw new PartFailure("nightcore", o.nightcoreBin + " is missing (R2's bin/nightcore)", null);
        }
        List<Integer> ports = freePorts(2);
        String ipcRoot = "/dev/shm/nightcore-j-stack-" + Integer.toHexString(ProcessSweep.markValue(stateDir).hashCode());
        state.ipcRoot = ipcRoot;
        ObjectNode cfg = StackState.JSON.createObjectNode();
        ObjectNode gw = cfg.putObject("gateway");
        gw.put("host", "127.0.0.1").put("httpPort", ports.get(0)).put("enginePort", ports.get(1))
            .put("ioThreads", o.gatewayIoThreads).put("defaultTimeoutMs", o.callTimeoutMs);
        cfg.putObject("engine").put("ipcRoot", ipcRoot);
        ArrayNode fns = cfg.putArray("functions");
        int id = 0;
        for (String service : services) {
            addFunction(fns, service, ++id, SERVICE_FUNCTION, Map.of("service", service));
        }
        for (Map.Entry<String, String> fe : frontendFunctions.entrySet()) {
            // NC: allowHttpGet + qsAsInput (its reservation function was POST only; upstream's front end takes any
            // method, and so do these); same worker bounds as the services, as NC configured all 11 functions alike.
            addFunction(fns, fe.getKey(), ++id, FRONTEND_FUNCTION, Map.of("endpoint", fe.getValue()))
                .put("allowHttpGet", true).put("qsAsInput", true);
        }
        state.frontend = frontendFunctions.isEmpty() ? "process" : "functions";
        state.frontendFunctions = frontendFunctions.isEmpty() ? null : new LinkedHashMap<>(frontendFunctions);
        Path config = stateDir.resolve("nightcore.json");
        StackState.JSON.writeValue(config.toFile(), cfg);
        long leftS = Math.max(10, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
        List<String> cmd = new ArrayList<>(List.of(o.nightcoreBin.toString(), "up", "--ready-timeout", Long.toString(leftS),
            config.toString()));
        o.extraEnv.putIfAbsent("JAVA_OPTS", String.join(" ", o.jvmOpts()));
        // nightcore up applies its own policy to gateway, engine and containers: the same one as every other part.
        o.extraEnv.put("NIGHTCORE_SCHED", o.sched);
        StackState.Part up = start("nightcore", "nightcore-up", false, cmd, ports.get(0), "http://127.0.0.1:" + ports.get(0));
        JsonNode ready = awaitJsonLine(up, "gateway_url");
        state.gatewayUrl = stripSlash(ready.get("gateway_url").asText());
        state.statsUrl = ready.has("stats_url") ? ready.get("stats_url").asText() : state.gatewayUrl + "/stats";
        frontendSets.addAll(List.of("--set", "transport=gateway", "--set", "gateway.url=" + state.gatewayUrl));
    }

    private String nightcoreIsolation() {
        // The Nightcore config knows auto|process|sandbox; bwrap/crun are choices inside "sandbox".
        return sandbox.isSandboxed() ? "sandbox" : "process";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private void startFrontend() throws Exception {
        int port = freePorts(1).get(0);
        List<String> cmd = java(FRONTEND_MAIN, serviceClasspath());
        cmd.addAll(List.of("--workload", o.workload, "--port", Integer.toString(port), "--workers",
            Integer.toString(o.frontendWorkers)));
        cmd.addAll(storageSets());
        cmd.addAll(frontendSets);
        cmd.addAll(o.setArgs());
        StackState.Part fe = start("frontend", "frontend", true, cmd, port, "http://127.0.0.1:" + port);
        awaitJsonLine(fe, "frontend_url");
        awaitPort(fe, port);
        state.frontendUrl = "http://127.0.0.1:" + port;
        state.frontend = "process";
    }

    /**
     * Adds one function of this workload to a Nightcore stack config: the workload's jar, the stack's worker bounds,
     * isolation, timeout and JVM options, and the settings every function gets (workload, storage, --set).
     *
     * @param own the settings only this function gets (its service or front-end path), before the stack's --set.
     * @return the function's config object.
     */
    private ObjectNode addFunction(ArrayNode fns, String name, int id, String handler, Map<String, String> own) {
        ObjectNode f = fns.addObject();
        f.put("name", name).put("id", id).put("minWorkers", Math.min(o.minWorkers, o.maxWorkers))
            .put("maxWorkers", o.maxWorkers).put("handler", handler)
            .put("isolation", nightcoreIsolation()).put("timeoutMs", o.callTimeoutMs);
        f.putArray("classpath").add(o.workloadJar.toString());
        ArrayNode jvm = f.putArray("jvmArgs");
        o.jvmOpts().forEach(jvm::add);
        ObjectNode settings = f.putObject("settings");
        settings.put("workload", o.workload);
        own.forEach(settings::put);
        state.storageAddresses.forEach(settings::put);
        o.settings().forEach(settings::put);
        return f;
    }

    // ---------------------------------------------------------------- waits

    /** A part failed to come up; carries its name and log tail. */
    static final class PartFailure extends Exception {
        private static final long serialVersionUID = 1L;

        PartFailure(String part, String why, String logTail) {
            super("part '" + part + "' failed: " + why + (logTail == null || logTail.isBlank() ? "" : "\n--- last lines of its log ---\n"
                + logTail));
        }
    }

    /** @return the last lines of a log without stack frames (so the exception messages and causes stay visible). */
    static String tail(String log, int lines) {
        try {
            List<String> all = Files.readAllLines(Path.of(log), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("\tat ") && !l.startsWith("\t... ")).toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void checkAlive(StackState.Part part) throws PartFailure {
        var h = ProcessHandle.of(part.pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            throw new PartFailure(part.name, "process " + part.pid + " exited before it was ready", tail(part.log, 30));
        }
    }

    private void checkDeadline(StackState.Part part, String waitingFor) throws PartFailure {
        if (System.nanoTime() > deadline) {
            throw new PartFailure(part.name, "not ready within --timeout " + o.timeoutS + " s (waiting for " + waitingFor + ")",
                tail(part.log, 30));
        }
    }

    /** Waits for a JSON line containing {@code "key"} in the part's log (its ready line) and returns it. */
    private JsonNode awaitJsonLine(StackState.Part part, String key) throws Exception {
        String needle = "{\"" + key + "\"";
        while (true) {
            for (String line : readLines(part.log)) {
                String t = line.trim();
                if (t.startsWith(needle) && t.endsWith("}")) {
                    try {
                        return StackState.JSON.readTree(t);
                    } catch (IOException e) {
                        // not (yet) a complete line
                    }
                }
            }
            checkAlive(part);
            checkDeadline(part, "its ready line " + needle + "...}");
            Thread.sleep(50);
        }
    }

    private static List<String> readLines(String log) {
        try {
            return Files.readAllLines(Path.of(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private void awaitPort(StackState.Part part, int port) throws Exception {
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                checkAlive(part);
                checkDeadline(part, "127.0.0.1:" + port + " to accept connections");
                Thread.sleep(50);
            }
        }
    }

    /** The JSON line {@code up} prints last. */
    static String summary(StackState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("system", s.system);
        m.put("workload", s.workload);
        m.put("frontend_url", s.frontendUrl);
        if (s.frontend != null) m.put("frontend", s.frontend);
        if (s.gatewayUrl != null) m.put("gateway_url", s.gatewayUrl);
        if (s.statsUrl != null) m.put("stats_url", s.statsUrl);
        m.put("state_dir", s.stateDir);
        m.put("storage", s.storage);
        m.put("isolation", s.isolation);
        if (s.cpusSut != null) m.put("cpus_sut", s.cpusSut);
        if (s.cpusLoadgen != null) m.put("cpus_loadgen", s.cpusLoadgen);
        if (s.sched != null) m.put("sched", s.sched);
        m.put("parts", s.parts.size());
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
