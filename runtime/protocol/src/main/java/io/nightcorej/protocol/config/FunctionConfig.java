package io.nightcorej.protocol.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One entry of the {@code functions} array of the stack config. name, id and handler are required. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class FunctionConfig {

    /** Isolation: sandbox when the machine can create one, else a plain process (with a warning). */
    public static final String ISOLATION_AUTO = "auto";
    /** Isolation: a plain child process. */
    public static final String ISOLATION_PROCESS = "process";
    /** Isolation: a namespace sandbox (bubblewrap or crun); an error when unavailable. */
    public static final String ISOLATION_SANDBOX = "sandbox";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    @JsonProperty private String name;
    @JsonProperty private Integer id;
    @JsonProperty private int minWorkers = 2;
    @JsonProperty private int maxWorkers = 8;
    @JsonProperty private String handler;
    @JsonProperty private List<String> classpath = new ArrayList<>();
    @JsonProperty private String isolation = ISOLATION_AUTO;
    @JsonProperty private boolean allowHttpGet = false;
    @JsonProperty private boolean qsAsInput = false;
    @JsonProperty private long timeoutMs = 10_000;
    @JsonProperty private List<String> jvmArgs = new ArrayList<>();
    @JsonProperty private Map<String, String> settings = new LinkedHashMap<>();

    public String name() {
        return name;
    }

    public FunctionConfig name(final String name) {
        this.name = name;
        return this;
    }

    /** @return the wire id, 1..65535. */
    public int id() {
        return id == null ? 0 : id;
    }

    public FunctionConfig id(final int id) {
        this.id = id;
        return this;
    }

    public int minWorkers() {
        return minWorkers;
    }

    public FunctionConfig minWorkers(final int minWorkers) {
        this.minWorkers = minWorkers;
        return this;
    }

    public int maxWorkers() {
        return maxWorkers;
    }

    public FunctionConfig maxWorkers(final int maxWorkers) {
        this.maxWorkers = maxWorkers;
        return this;
    }

    /** @return the fully qualified class implementing {@code io.nightcorej.sdk.Function}. */
    public String handler() {
        return handler;
    }

    public FunctionConfig handler(final String handler) {
        this.handler = handler;
        return this;
    }

    /** @return classpath entries; absolute after {@link StackConfig#load(Path)}. */
    public List<String> classpath() {
        return classpath;
    }

    public FunctionConfig classpath(final List<String> classpath) {
        this.classpath = new ArrayList<>(classpath);
        return this;
    }

    public String isolation() {
        return isolation;
    }

    public FunctionConfig isolation(final String isolation) {
        this.isolation = isolation;
        return this;
    }

    public boolean allowHttpGet() {
        return allowHttpGet;
    }

    public FunctionConfig allowHttpGet(final boolean allowHttpGet) {
        this.allowHttpGet = allowHttpGet;
        return this;
    }

    public boolean qsAsInput() {
        return qsAsInput;
    }

    public FunctionConfig qsAsInput(final boolean qsAsInput) {
        this.qsAsInput = qsAsInput;
        return this;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    public FunctionConfig timeoutMs(final long timeoutMs) {
        this.timeoutMs = timeoutMs;
        return this;
    }

    /** @return extra JVM options for this function's container. */
    public List<String> jvmArgs() {
        return jvmArgs;
    }

    public FunctionConfig jvmArgs(final List<String> jvmArgs) {
        this.jvmArgs = new ArrayList<>(jvmArgs);
        return this;
    }

    /** @return the map handed to {@code Function.init}. */
    public Map<String, String> settings() {
        return settings;
    }

    public FunctionConfig settings(final Map<String, String> settings) {
        this.settings = new LinkedHashMap<>(settings);
        return this;
    }

    void resolveClasspath(final Path baseDir) {
        final List<String> resolved = new ArrayList<>(classpath.size());
        for (final String entry : classpath) {
            resolved.add(entry == null ? null : baseDir.resolve(entry).normalize().toString());
        }
        classpath = resolved;
    }

    void validate(final String path, final List<String> errors) {
        if (name == null) {
            errors.add(path + ".name: required");
        } else if (!NAME.matcher(name).matches()) {
            errors.add(path + ".name: \"" + name + "\" must be 1-128 characters of A-Z a-z 0-9 _ . : -");
        }
        if (id == null) {
            errors.add(path + ".id: required");
        } else if (id < 1 || id > 65535) {
            errors.add(path + ".id: " + id + " is outside 1..65535");
        }
        if (handler == null || handler.isBlank()) {
            errors.add(path + ".handler: required (a class implementing io.nightcorej.sdk.Function)");
        }
        if (minWorkers < 1) {
            errors.add(path + ".minWorkers: " + minWorkers + " must be at least 1");
        }
        if (maxWorkers < minWorkers) {
            errors.add(path + ".maxWorkers: " + maxWorkers + " is below minWorkers " + minWorkers);
        }
        if (maxWorkers > 1024) {
            errors.add(path + ".maxWorkers: " + maxWorkers + " exceeds 1024");
        }
        if (classpath == null || classpath.stream().anyMatch(e -> e == null || e.isBlank())) {
            errors.add(path + ".classpath: entries must be non-empty paths");
        }
        if (!ISOLATION_AUTO.equals(isolation) && !ISOLATION_PROCESS.equals(isolation) && !ISOLATION_SANDBOX.equals(isolation)) {
            errors.add(path + ".isolation: \"" + isolation + "\" is not one of \"auto\", \"process\", \"sandbox\"");
        }
        StackConfig.positive(errors, path + ".timeoutMs", timeoutMs);
        if (jvmArgs == null) {
            errors.add(path + ".jvmArgs: must be an array of strings");
        }
        if (settings == null) {
            errors.add(path + ".settings: must be an object of strings");
        }
    }
}
