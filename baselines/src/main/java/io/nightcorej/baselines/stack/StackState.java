package io.nightcorej.baselines.stack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bin/stack up} started, written to {@code <state-dir>/stack.json} after every part so that {@code down}
 * finds everything even when {@code up} itself died half-way. Plain public fields: this is a file format.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StackState {
    static final String FILE = "stack.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String system;
    public String workload;
    public String storage;
    public String isolation;
    public String stateDir;
    public String cpusSut;
    public String cpusLoadgen;
    /** Scheduling policy of every process of the system under test: batch | normal. */
    public String sched;
    public String workloadJar;
    public String classpath;
    public List<String> jvmOpts = new ArrayList<>();
    public String frontendUrl;
    /**
     * How the front end runs: {@code process} (FrontendMain) or {@code functions} (one Nightcore function per front-end
     * path, {@link #frontendFunctions}: function name to path; frontendUrl is then {@code <gateway>/function}).
     */
    public String frontend;
    public Map<String, String> frontendFunctions;
    public String gatewayUrl;
    public String statsUrl;
    public String ipcRoot;
    public Map<String, String> storageAddresses = new LinkedHashMap<>();
    public List<Part> parts = new ArrayList<>();
    public String createdAt;
    public String status;

    /** One started process (its host-side root: java, bwrap or crun; started in its own session/process group). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Part {
        public String name;
        public String kind;
        public long pid;
        public Integer port;
        public String url;
        public String log;
        public boolean sandboxed;

        public Part() {
        }

        Part(String name, String kind, long pid, Integer port, String url, String log, boolean sandboxed) {
            this.name = name;
            this.kind = kind;
            this.pid = pid;
            this.port = port;
            this.url = url;
            this.log = log;
            this.sandboxed = sandboxed;
        }
    }

    static Path file(Path stateDir) {
        return stateDir.resolve(FILE);
    }

    /** Writes atomically (rename), so a crash never leaves a half-written state file. */
    void save(Path stateDir) throws IOException {
        Path tmp = stateDir.resolve(FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file(stateDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static StackState load(Path stateDir) throws IOException {
        Path f = file(stateDir);
        if (!Files.exists(f)) throw new IOException("no stack state in " + stateDir + " (run bin/stack up first)");
        return JSON.readValue(f.toFile(), StackState.class);
    }

    Part part(String name) {
        return parts.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
    }
}
