package io.nightcorej.loadgen.wrk;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightcorej.loadgen.report.LoadResult;
import io.nightcorej.loadgen.workload.Workloads;

/**
 * Runs wrk2 (if on PATH: open-loop, {@code -R}, {@code -L -U}) or else Debian's wrk (closed-loop, clearly labelled)
 * through {@link ProcessBuilder}, and turns their output into a {@link LoadResult}.
 *
 * <p>The Lua script actually run is generated: it loads the user's script (if any) with {@code dofile}, seeds each
 * thread ({@code setup} gives thread i the seed {@code seed + i}; a user {@code init} is called with wrk's args
 * table, and if that fails (NC scripts expect NC-wrk2's numeric {@code init(rand_seed)}) with the numeric seed), and
 * adds a {@code done()} that prints one {@code LOADGEN_DONE {json}} line with exact percentiles from the tool's own
 * histogram, after calling the user's {@code done} if there was one.
 */
public final class WrkRunner {
    /** Which tool. */
    public enum Tool {
        /** wrk2 if on PATH, else wrk. */
        AUTO,
        /** Debian wrk (closed loop). */
        WRK,
        /** wrk2 (open loop). */
        WRK2
    }

    /** Settings of one wrapped run. */
    public static final class Settings {
        /** Tool choice. */
        public Tool tool = Tool.AUTO;
        /** URL. */
        public URI url;
        /** Target rate (wrk2 only; ignored by wrk). */
        public Double rate;
        /** Threads. */
        public int threads = 1;
        /** Connections. */
        public int connections = 64;
        /** Duration. */
        public Duration duration = Duration.ofSeconds(30);
        /** Warm-up: a separate, discarded run before the measured one (0 = none). */
        public Duration warmup = Duration.ZERO;
        /** Per-request timeout. */
        public Duration timeout = Duration.ofSeconds(10);
        /** User Lua script, or null. */
        public Path script;
        /** Built-in request when no script: only nop-post (POST a 5-byte body) or null for wrk's default GET. */
        public String workload;
        /** Seed. */
        public long seed = 1;
        /** Prefix the command with this (e.g. {@code taskset -c 0}); may be empty. */
        public List<String> prefix = List.of();
        /** Where to echo the tool's output (null = nowhere). */
        public PrintStream echo;
    }

    private WrkRunner() {
    }

    /**
     * @param name executable name.
     * @return its path if it is on PATH.
     */
    public static Optional<Path> onPath(final String name) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            final Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the tool and parses its output.
     *
     * @param s settings.
     * @return the result; mode "open-loop (wrk2)" or "closed-loop (wrk)".
     * @throws IOException if the tool is missing or fails.
     * @throws InterruptedException if interrupted.
     */
    public static LoadResult run(final Settings s) throws IOException, InterruptedException {
        if (s.url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        if (s.workload != null && !Workloads.NOP_POST.equals(s.workload)) {
            throw new IllegalArgumentException("the wrk wrapper runs Lua scripts: pass --script FILE for '" + s.workload
                + "' (built in: only " + Workloads.NOP_POST + ")");
        }
        if (s.script != null && !Files.isReadable(s.script)) {
            throw new IllegalArgumentException("cannot read --script " + s.script);
        }
        final boolean wrk2;
        final Path exe;
        final Optional<Path> w2 = onPath("wrk2");
        if (s.tool == Tool.WRK2 || (s.tool == Tool.AUTO && w2.isPresent())) {
            exe = w2.orElseThrow(() -> new IOException("wrk2 is not on PATH (it is not packaged for Debian; see README)"));
            wrk2 = true;
            if (s.rate == null || !(s.rate > 0)) {
                throw new IllegalArgumentException("wrk2 needs --rate");
            }
        } else {
            exe = onPath("wrk").orElseThrow(() -> new IOException("neither wrk2 nor wrk is on PATH (apt-get install wrk)"));
            wrk2 = false;
        }
        final Path lua = Files.createTempFile("loadgen-wrk-", ".lua");
        try {
            Files.writeString(lua, wrapperScript(s), StandardCharsets.UTF_8);
            if (!s.warmup.isZero()) {
                execute(command(s, exe, wrk2, lua, s.warmup), s.warmup, null);
            }
            final List<String> cmd = command(s, exe, wrk2, lua, s.duration);
            final String out = execute(cmd, s.duration, s.echo);
            final LoadResult r = toResult(WrkOutput.parse(out), wrk2, s);
            r.command = cmd;
            return r;
        } finally {
            Files.deleteIfExists(lua);
        }
    }

    static List<String> command(final Settings s, final Path exe, final boolean wrk2, final Path lua, final Duration d) {
        final List<String> cmd = new ArrayList<>(s.prefix);
        cmd.add(exe.toString());
        cmd.add("-t" + s.threads);
        cmd.add("-c" + s.connections);
        cmd.add("-d" + io.nightcorej.loadgen.cli.DurationConverter.toWrk(d));
        cmd.add("--timeout");
        cmd.add(io.nightcorej.loadgen.cli.DurationConverter.toWrk(s.timeout));
        if (wrk2) {
            cmd.add("-R" + Math.round(s.rate));
            cmd.add("-L");
            cmd.add("-U");
        } else {
            cmd.add("--latency");
        }
        cmd.add("-s");
        cmd.add(lua.toString());
        cmd.add(s.url.toString());
        return cmd;
    }

    private static String execute(final List<String> cmd, final Duration d, final PrintStream echo)
        throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        final byte[][] holder = new byte[1][];
        final Thread reader = new Thread(() -> {
            try {
                holder[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                holder[0] = ("read failed: " + e).getBytes(StandardCharsets.UTF_8);
            }
        }, "wrk-output");
        reader.start();
        final long waitMs = d.toMillis() + 30_000;
        if (!p.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("'" + String.join(" ", cmd) + "' did not finish within " + waitMs + " ms; killed");
        }
        reader.join(5000);
        final String out = holder[0] == null ? "" : new String(holder[0], StandardCharsets.UTF_8);
        if (echo != null) {
            echo.print(out);
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", cmd) + "' exited " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    /**
     * @param s settings.
     * @return the generated Lua wrapper.
     */
    static String wrapperScript(final Settings s) {
        final StringBuilder b = new StringBuilder();
        b.append("-- generated by nightcore-j loadgen: seeds threads, adds a JSON done()\n");
        b.append("local loadgen_seed_base = ").append(s.seed).append("\n");
        if (s.script != null) {
            b.append("dofile([==[").append(s.script.toAbsolutePath()).append("]==])\n");
        } else if (Workloads.NOP_POST.equals(s.workload)) {
            b.append("wrk.method = \"POST\"\n");
            b.append("wrk.body = \"").append(Workloads.NOP_BODY).append("\"\n");
            b.append("wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n");
        }
        b.append("""
            local loadgen_user_setup = setup
            local loadgen_user_init = init
            local loadgen_user_done = done
            local loadgen_threads = 0
            setup = function(thread)
              thread:set("loadgen_seed", loadgen_seed_base + loadgen_threads)
              loadgen_threads = loadgen_threads + 1
              if loadgen_user_setup then loadgen_user_setup(thread) end
            end
            init = function(args)
              local seed = loadgen_seed or loadgen_seed_base
              math.randomseed(seed)
              if loadgen_user_init then
                local ok = pcall(loadgen_user_init, args)
                if not ok then loadgen_user_init(seed) end
              end
            end
            done = function(summary, latency, requests)
              if loadgen_user_done then loadgen_user_done(summary, latency, requests) end
              local e = summary.errors
              io.write(string.format('LOADGEN_DONE {"requests":%d,"duration_us":%d,"bytes":%d,'
                .. '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,'
                .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.2f}\\n',
                summary.requests, summary.duration, summary.bytes,
                e.connect, e.read, e.write, e.status, e.timeout,
                latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
                latency.max, latency.mean))
            end
            """);
        return b.toString();
    }

    /**
     * Maps parsed output to the common result model. For closed-loop wrk the corrected keys stay null (there is no
     * intended send time) and its latencies go to the {@code uncorrected_*} keys; the result is never trustworthy.
     *
     * @param o parsed output.
     * @param wrk2 whether it came from wrk2.
     * @param s settings.
     * @return the result.
     */
    public static LoadResult toResult(final WrkOutput o, final boolean wrk2, final Settings s) {
        final LoadResult r = new LoadResult();
        r.mode = wrk2 ? "open-loop (wrk2)" : "closed-loop (wrk)";
        r.workload = s.script != null ? s.script.toString() : (s.workload == null ? "GET" : s.workload);
        r.url = s.url == null ? o.url : s.url.toString();
        r.rateTarget = wrk2 ? s.rate : null;
        r.connections = o.connections > 0 ? o.connections : s.connections;
        r.seed = s.seed;
        r.transport = wrk2 ? "wrk2" : "wrk";
        final JsonNode d = o.done;
        if (d != null) {
            r.requests = d.path("requests").asLong();
            r.durationS = d.path("duration_us").asDouble() / 1e6;
            r.errors = d.path("connect").asLong() + d.path("read").asLong() + d.path("write").asLong();
            r.non2xx = d.path("status").asLong();
            r.timeouts = d.path("timeout").asLong();
        } else {
            r.requests = Math.max(0, o.requests);
            r.durationS = o.durationS;
            r.errors = o.connectErrors + o.readErrors + o.writeErrors;
            r.non2xx = o.non2xx;
            r.timeouts = o.timeouts;
        }
        r.rateAchieved = o.requestsPerSec >= 0 ? o.requestsPerSec : (r.durationS > 0 ? r.requests / r.durationS : 0);
        r.warmupS = s.warmup.toNanos() / 1e9;
        if (wrk2) {
            // Recorded Latency (wrk2 -L) is corrected; the done() histogram in wrk2 is that same corrected one.
            r.p50Us = pick(d, "p50_us", o.recorded, 50.0);
            r.p90Us = pick(d, "p90_us", o.recorded, 90.0);
            r.p99Us = pick(d, "p99_us", o.recorded, 99.0);
            r.p999Us = pick(d, "p999_us", o.recorded, 99.9);
            r.maxUs = d != null ? Long.valueOf(d.path("max_us").asLong()) : round(o.recordedMaxUs);
            r.meanUs = d != null ? d.path("mean_us").asDouble() : o.meanUs;
            r.uncorrectedP50Us = round(o.uncorrected.get(50.0));
            r.uncorrectedP90Us = round(o.uncorrected.get(90.0));
            r.uncorrectedP99Us = round(o.uncorrected.get(99.0));
            r.uncorrectedP999Us = round(o.uncorrected.get(99.9));
            r.uncorrectedMaxUs = round(o.uncorrected.isEmpty() ? null : o.uncorrectedMaxUs);
            r.arrival = "constant";
            if (s.rate != null && r.rateAchieved < 0.99 * s.rate) {
                r.untrustworthyReasons.add(String.format(Locale.ROOT,
                    "wrk2 achieved %.1f req/s of %.1f asked (wrk2 does not report its send lag)", r.rateAchieved, s.rate));
            }
        } else {
            r.uncorrectedP50Us = pick(d, "p50_us", o.recorded, 50.0);
            r.uncorrectedP90Us = pick(d, "p90_us", o.recorded, 90.0);
            r.uncorrectedP99Us = pick(d, "p99_us", o.recorded, 99.0);
            r.uncorrectedP999Us = pick(d, "p999_us", o.recorded, 99.9);
            r.uncorrectedMaxUs = d != null ? Long.valueOf(d.path("max_us").asLong()) : round(o.recordedMaxUs);
            r.untrustworthyReasons.add("closed-loop (wrk): each connection waits for its response before sending the next, "
                + "so latencies suffer from coordinated omission and the offered rate is whatever the server allows");
        }
        r.trustworthy = r.untrustworthyReasons.isEmpty();
        return r;
    }

    private static Long pick(final JsonNode d, final String key, final java.util.Map<Double, Double> table, final double p) {
        if (d != null && d.has(key)) {
            return d.get(key).asLong();
        }
        return round(table.get(p));
    }

    private static Long round(final Double v) {
        return v == null ? null : Math.round(v);
    }
}
