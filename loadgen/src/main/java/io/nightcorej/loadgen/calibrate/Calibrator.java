package io.nightcorej.loadgen.calibrate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.loadgen.engine.CpuAffinity;
import io.nightcorej.loadgen.engine.LoadContext;
import io.nightcorej.loadgen.engine.OpenLoopEngine;
import io.nightcorej.loadgen.report.LoadResult;
import io.nightcorej.loadgen.workload.Workloads;
import io.nightcorej.loadgen.wrk.WrkRunner;

/**
 * {@code bin/loadgen calibrate}: how fast can this machine's generator go while still holding its schedule?
 *
 * <h2>Procedure</h2>
 * <ol>
 *   <li><b>Placement.</b> With {@code taskset} and &ge; 2 CPUs: each run's event-loop thread (the generator: it sends,
 *       receives and records) is pinned alone to the generator CPU ({@code taskset -p -c 0 <tid>}), every other thread
 *       of this JVM (JIT compilers, GC workers, the progress reporter) to the server's CPU ({@code taskset -a -p -c 1
 *       <pid>}; threads created later inherit it), so none of them takes the generator's CPU away from it; the
 *       trivial server runs as a child JVM under {@code taskset -c 1}, busy-polling (clients' sends then never have to
 *       wake it). Otherwise the placement is reported as unpinned.</li>
 *   <li><b>Warm-up</b> both JVMs (JIT) with three short runs at 5 %, 20 % and 50 % of the target, not reported.</li>
 *   <li><b>CPU stalls</b> of the generator CPU ({@link CpuStallMeter}, {@code --stall-check}): how much of the time
 *       the pinned thread does not run, in gaps longer than the lag bound. Over ~1 % and no generator can hold the
 *       bound there.</li>
 *   <li><b>Target check</b>: {@code nop-post} open-loop at {@code --rate} for {@code --duration}. "Held" means: the
 *       run is trustworthy (send-lag p99 under the bound, &le; 1 % late sends, nothing unsent), the achieved rate is
 *       within 1 % of the target, and there were no errors, non-2xx or timeouts.</li>
 *   <li><b>Search</b> with short steps ({@code --step-duration}): up by ×1.25 while held, else down by ×0.5 until held;
 *       then bisect between the highest held and lowest failed rate with the remaining steps. Reported:
 *       {@code highest_held_rate}.</li>
 *   <li><b>wrk closed-loop</b> against the same server, on the generator CPU, same connections, same request
 *       (POST 5 bytes): what a closed-loop tool reaches on this machine, for comparison.</li>
 * </ol>
 */
public final class Calibrator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Settings. */
    public static final class Settings {
        /** Target rate. */
        public double rate = 50_000;
        /** Target-check duration. */
        public Duration duration = Duration.ofSeconds(30);
        /** Warm-up of each open-loop run. */
        public Duration warmup = Duration.ofSeconds(2);
        /** Duration of each of the three JIT warm-up runs (5 %, 20 %, 50 % of the rate). */
        public Duration warmupRamp = Duration.ofSeconds(2);
        /** Search step duration. */
        public Duration stepDuration = Duration.ofSeconds(5);
        /** Search steps (0 = none). */
        public int steps = 6;
        /** Connections (engine and wrk). */
        public int connections = 64;
        /** wrk duration (0 = skip wrk). */
        public Duration wrkDuration = Duration.ofSeconds(10);
        /** Pin generator/server. */
        public boolean pin = true;
        /** Generator CPU. */
        public int generatorCpu;
        /** Server CPU. */
        public int serverCpu = 1;
        /**
         * CPUs for this JVM's threads other than the event loop (JIT, GC, reporter); null = the generator CPU (the whole
         * JVM on it, session 2's placement, which held more in session 3's A/B than moving them to the server CPU).
         */
        public String auxCpus;
        /** Nice value of the event loop (and of the stall meter) when it has its CPU to itself; null = leave it. */
        public Integer loopNice;
        /** Lag bound. */
        public Duration lagBound = LoadContext.DEFAULT_LAG_BOUND;
        /** Generator busy-poll mode (AUTO spins from 30,000 req/s). */
        public LoadContext.BusyPoll busyPoll = LoadContext.BusyPoll.AUTO;
        /** Generator socket transport. */
        public LoadContext.Transport transport = LoadContext.Transport.AUTO;
        /** Spin this long on the generator CPU to measure its stalls before the target check (0 = skip). */
        public Duration stallCheck = Duration.ofSeconds(3);
        /** Output. */
        public PrintStream out = System.out;
        /** Run the server in-process instead of a child JVM (tests; no pinning of the server). */
        public boolean inProcessServer;
    }

    private Calibrator() {
    }

    /**
     * Runs the procedure.
     *
     * @param s settings.
     * @return the JSON map: the target run's result keys, plus {@code calibration}.
     * @throws Exception on failure to start the server.
     */
    public static Map<String, Object> run(final Settings s) throws Exception {
        final PrintStream out = s.out;
        final Map<String, Object> placement = new LinkedHashMap<>();
        final int cpus = Runtime.getRuntime().availableProcessors();
        final boolean taskset = WrkRunner.onPath("taskset").isPresent();
        final boolean pin = s.pin && taskset && cpus >= 2;
        placement.put("cpus", cpus);
        placement.put("pinned", pin);
        final String generatorCpu = Integer.toString(s.generatorCpu);
        final String aux = s.auxCpus != null ? s.auxCpus : generatorCpu;
        // The loop gets a CPU of its own only when the rest of the JVM is elsewhere; then it is pinned per thread.
        final boolean ownCpu = !aux.equals(generatorCpu);
        if (pin) {
            // Everything but the event loop off the generator's CPU: a C2 compilation or a GC worker sharing it halves
            // the generator's capacity for as long as it runs.
            final String r = CpuAffinity.pinProcess(ProcessHandle.current().pid(), aux);
            placement.put("generator", ownCpu
                ? "each run's event-loop thread alone on CPU " + s.generatorCpu + " (taskset -p per thread"
                    + (s.loopNice == null ? "" : ", nice " + s.loopNice) + "); this JVM's other threads (JIT, GC, reporter) on CPU "
                    + aux + " (taskset -a -p)"
                : "this JVM, all threads pinned to CPU " + aux + " (taskset -a -p)");
            placement.put("generator_taskset", r.strip());
        } else {
            placement.put("generator", "this JVM, unpinned" + (s.pin ? (taskset ? " (fewer than 2 CPUs)" : " (no taskset)") : ""));
        }
        final ServerHandle server = s.inProcessServer ? ServerHandle.inProcess() : ServerHandle.child(pin ? s.serverCpu : -1, pin,
            // Not niced: this JVM's GC and VM threads share the server's CPU, and beside a nice -20 spinning server they
            // got ~1 % of it, which stretched every safepoint (the event loop stopped with it) to tens of ms.
            null);
        placement.put("server", server.description);
        try {
            out.printf("calibrate: trivial server %s (%s); generator %s%n", server.url, server.description, placement.get("generator"));
            // JIT warm-up of both JVMs, ramping so the first (interpreted) seconds do not build a backlog that
            // outlives the warm-up; results discarded.
            out.println("calibrate: JIT warm-up (not reported)");
            for (double f : new double[] {0.05, 0.2, 0.5}) {
                OpenLoopEngine.run(ctx(s, server.url, Math.max(100, s.rate * f), Duration.ZERO, s.warmupRamp, pin, pin && ownCpu)
                    .quiet(true));
            }

            // The generator CPU itself: time this (pinned) thread does not get, in gaps that break the lag bound.
            Map<String, Object> stalls = null;
            if (!s.stallCheck.isZero()) {
                // Measured by a thread alone on the generator CPU, as the event loop will be.
                if (pin && ownCpu) {
                    CpuAffinity.pinCurrentThread(generatorCpu);
                    if (s.loopNice != null) {
                        CpuAffinity.reniceCurrentThread(s.loopNice);
                    }
                }
                try {
                    stalls = CpuStallMeter.measure(s.stallCheck, s.lagBound.toNanos());
                } finally {
                    if (pin && ownCpu) {
                        CpuAffinity.pinCurrentThread(aux);
                        if (s.loopNice != null) {
                            CpuAffinity.reniceCurrentThread(0);
                        }
                    }
                }
            }
            if (stalls != null) {
                out.printf(Locale.ROOT, "calibrate: generator CPU stalls over %s: %s%n", s.stallCheck, stalls);
            }

            out.printf("calibrate: target check %.0f req/s for %s%n", s.rate, s.duration);
            final boolean pinLoop = pin && ownCpu;
            final LoadResult target = OpenLoopEngine.run(ctx(s, server.url, s.rate, s.warmup, s.duration, pin, pinLoop));
            final List<Map<String, Object>> steps = new ArrayList<>();
            steps.add(step(target, held(target)));
            double highestHeld = held(target) ? s.rate : 0;
            double lowestFailed = held(target) ? Double.POSITIVE_INFINITY : s.rate;
            double next = held(target) ? s.rate * 1.25 : s.rate * 0.5;
            for (int i = 0; i < s.steps; i++) {
                final LoadResult r = OpenLoopEngine.run(ctx(s, server.url, Math.round(next), s.warmup, s.stepDuration, pin, pinLoop)
                    .quiet(true));
                final boolean ok = held(r);
                steps.add(step(r, ok));
                out.printf(Locale.ROOT, "calibrate: step %.0f req/s for %s -> %s (achieved %.0f, lag p99 %s us, p99 %s us, "
                        + "loop busy %s us/req)%n",
                    r.rateTarget, s.stepDuration, ok ? "held" : "NOT held", r.rateAchieved, r.lagP99Us, r.p99Us,
                    r.loopBusyUsPerRequest);
                if (ok) {
                    highestHeld = Math.max(highestHeld, next);
                } else {
                    lowestFailed = Math.min(lowestFailed, next);
                }
                if (Double.isInfinite(lowestFailed)) {
                    next = next * 1.25;
                } else if (highestHeld == 0) {
                    next = next * 0.5;
                } else {
                    next = (highestHeld + lowestFailed) / 2;
                }
                next = Math.round(next);
            }
            Map<String, Object> wrk = null;
            if (!s.wrkDuration.isZero()) {
                wrk = wrkClosedLoop(s, server.url, pin, out);
            }
            final Map<String, Object> cal = new LinkedHashMap<>();
            cal.put("target_rate", s.rate);
            cal.put("target_held", held(target));
            cal.put("highest_held_rate", highestHeld);
            cal.put("lowest_failed_rate", Double.isInfinite(lowestFailed) ? null : lowestFailed);
            // Throughput actually delivered, held or not: the like-for-like number beside wrk's closed-loop rate.
            double maxAchieved = 0;
            for (Map<String, Object> st : steps) {
                maxAchieved = Math.max(maxAchieved, ((Number) st.get("rate_achieved")).doubleValue());
            }
            cal.put("max_achieved_rate", maxAchieved);
            cal.put("held_rule", "trustworthy (lag p99 <= " + s.lagBound.toNanos() / 1000
                + " us, <= 1 % late sends, none unsent) and achieved within 1 % of target and no errors/non-2xx/timeouts");
            cal.put("steps", steps);
            cal.put("wrk_closed_loop", wrk);
            cal.put("cpu_stalls", stalls);
            cal.put("transport", target.transport);
            cal.put("placement", placement);
            final Map<String, Object> result = target.toMap();
            result.put("mode", "open-loop (calibrate)");
            result.put("calibration", cal);
            out.printf(Locale.ROOT, "calibrate: target %.0f req/s %s (achieved %.1f, lag p99 %s us); highest held %.0f req/s; "
                    + "max achieved %.0f req/s; wrk closed-loop %s req/s%n",
                s.rate, held(target) ? "HELD" : "NOT HELD", target.rateAchieved, target.lagP99Us, highestHeld,
                cal.get("max_achieved_rate"), wrk == null ? "n/a" : wrk.get("rate_achieved"));
            return result;
        } finally {
            server.close();
        }
    }

    /**
     * @param r a result.
     * @return whether the generator held the target.
     */
    public static boolean held(final LoadResult r) {
        return r.trustworthy && r.rateTarget != null && Math.abs(r.rateAchieved - r.rateTarget) <= 0.01 * r.rateTarget
            && r.errors == 0 && r.non2xx == 0 && r.timeouts == 0;
    }

    private static Map<String, Object> step(final LoadResult r, final boolean ok) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate_target", r.rateTarget);
        m.put("duration_s", r.durationS);
        m.put("held", ok);
        m.put("rate_achieved", Math.round(r.rateAchieved * 10) / 10.0);
        m.put("lag_p99_us", r.lagP99Us);
        m.put("lag_max_us", r.lagMaxUs);
        m.put("late_sends", r.lateSends);
        m.put("p50_us", r.p50Us);
        m.put("p99_us", r.p99Us);
        m.put("uncorrected_p99_us", r.uncorrectedP99Us);
        m.put("errors", r.errors + r.timeouts + r.non2xx);
        m.put("loop_cpu_us_per_request", r.loopCpuUsPerRequest);
        m.put("loop_busy_us_per_request", r.loopBusyUsPerRequest);
        m.put("untrustworthy_reasons", r.untrustworthyReasons);
        return m;
    }

    private static LoadContext ctx(final Settings s, final URI url, final double rate, final Duration warmup, final Duration d,
                                   final boolean pinned, final boolean pinLoop) {
        return new LoadContext().url(url).rate(rate).connections(s.connections).warmup(warmup).duration(d)
            .workload(Workloads.NOP_POST).lagBound(s.lagBound).busyPoll(busyPoll(s, rate, pinned)).transport(s.transport)
            .out(s.out).timeout(Duration.ofSeconds(5))
            .loopCpus(pinLoop ? Integer.toString(s.generatorCpu) : null).loopNice(pinLoop ? s.loopNice : null);
    }

    /**
     * AUTO in a pinned calibration spins from {@link LoadContext#BUSY_POLL_AUTO_RATE} even when the whole JVM shares the
     * generator CPU (the JVM then sees one CPU, and {@link LoadContext#spins()} alone would not spin): the generator CPU
     * is the loop's either way, and spinning held less lag at 50k in session 4's A/B.
     */
    private static LoadContext.BusyPoll busyPoll(final Settings s, final double rate, final boolean pinned) {
        return s.busyPoll == LoadContext.BusyPoll.AUTO && pinned && rate >= LoadContext.BUSY_POLL_AUTO_RATE
            ? LoadContext.BusyPoll.ON : s.busyPoll;
    }

    private static Map<String, Object> wrkClosedLoop(final Settings s, final URI url, final boolean pin, final PrintStream out) {
        final Map<String, Object> m = new LinkedHashMap<>();
        if (WrkRunner.onPath("wrk").isEmpty()) {
            m.put("skipped", "wrk is not on PATH (apt-get install wrk)");
            return m;
        }
        final WrkRunner.Settings w = new WrkRunner.Settings();
        w.tool = WrkRunner.Tool.WRK;
        w.url = url;
        w.workload = Workloads.NOP_POST;
        w.connections = s.connections;
        w.threads = 1;
        w.duration = s.wrkDuration;
        w.prefix = pin ? List.of("taskset", "-c", Integer.toString(s.generatorCpu)) : List.of();
        out.printf("calibrate: wrk closed-loop, %d connections, 1 thread, %s%n", s.connections, s.wrkDuration);
        try {
            final LoadResult r = WrkRunner.run(w);
            m.put("rate_achieved", Math.round(r.rateAchieved * 10) / 10.0);
            m.put("requests", r.requests);
            m.put("p50_us", r.uncorrectedP50Us);
            m.put("p99_us", r.uncorrectedP99Us);
            m.put("errors", r.errors + r.timeouts + r.non2xx);
            m.put("command", r.command);
            m.put("note", "closed-loop: latencies are uncorrected (coordinated omission)");
        } catch (IOException | InterruptedException | RuntimeException e) {
            m.put("error", e.getMessage());
        }
        return m;
    }

    /** The calibration server, in a child JVM (pinned) or in process. */
    private static final class ServerHandle implements AutoCloseable {
        private final URI url;
        private final String description;
        private final Process process;
        private final TrivialHttpServer inProcess;

        private ServerHandle(final URI url, final String description, final Process process, final TrivialHttpServer inProcess) {
            this.url = url;
            this.description = description;
            this.process = process;
            this.inProcess = inProcess;
        }

        static ServerHandle inProcess() throws InterruptedException {
            final TrivialHttpServer s = TrivialHttpServer.start(new TrivialHttpServer.Context().port(0));
            return new ServerHandle(s.url(), "in-process Netty server (shares the generator's CPUs)", null, s);
        }

        static ServerHandle child(final int cpu, final boolean busyPoll, final Integer nice) throws IOException, InterruptedException {
            final String java = ProcessHandle.current().info().command().orElse("java");
            final List<String> cmd = new ArrayList<>();
            if (nice != null) {
                // Like the generator's event loop: threads of other processes landing on the server CPU cannot share it.
                cmd.addAll(List.of("nice", "-n", Integer.toString(nice)));
            }
            if (cpu >= 0) {
                cmd.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
            }
            cmd.addAll(List.of(java, "-Xms256m", "-Xmx256m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                TrivialHttpServerMain.class.getName(), "0"));
            if (busyPoll) {
                // The server has a CPU of its own: spinning spares every request a cross-CPU wake-up.
                cmd.add("--busy-poll");
            }
            final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            final BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String line = null;
            final Thread t = Thread.currentThread();
            final Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    p.destroyForcibly();
                } catch (InterruptedException ignored) {
                    // Server answered in time.
                }
            }, "server-start-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                line = r.readLine();
            } finally {
                watchdog.interrupt();
            }
            if (line == null) {
                p.destroyForcibly();
                throw new IOException("calibration server did not start (" + String.join(" ", cmd) + ") on thread " + t.getName());
            }
            final JsonNode j = JSON.readTree(line);
            return new ServerHandle(URI.create(j.path("url").asText()),
                "child JVM pid " + j.path("pid").asLong()
                    + (cpu >= 0 ? " pinned to CPU " + cpu + " (taskset -c " + cpu + ")" : ", unpinned")
                    + (nice != null ? ", nice " + nice : "")
                    + (j.path("epoll").asBoolean() ? ", epoll" : ", nio")
                    + (j.path("busy_poll").asBoolean() ? ", busy-poll" : ""), p, null);
        }

        @Override
        public void close() {
            if (inProcess != null) {
                inProcess.close();
            }
            if (process != null) {
                try {
                    process.getOutputStream().close();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroy();
                        if (!process.waitFor(5, TimeUnit.SECONDS)) {
                            process.destroyForcibly();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
