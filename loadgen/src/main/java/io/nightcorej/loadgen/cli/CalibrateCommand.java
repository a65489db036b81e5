package io.nightcorej.loadgen.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import io.nightcorej.loadgen.calibrate.Calibrator;
import io.nightcorej.loadgen.engine.LoadContext;
import io.nightcorej.loadgen.report.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/loadgen calibrate}: the highest open-loop rate this machine's generator holds, and wrk beside it. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {"Starts a trivial HTTP server pinned to the other CPU, checks the generator holds --rate open-loop",
        "(lag p99 under the bound, achieved within 1 %%), searches the highest rate it holds, and runs Debian's wrk",
        "closed-loop against the same server for comparison. Last stdout line: JSON."})
public final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--rate", defaultValue = "50000", description = "Target rate (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
        description = "Target-check duration (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
        description = "Warm-up of each run (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--step-duration", defaultValue = "5s", converter = DurationConverter.class,
        description = "Duration of each search step (default ${DEFAULT-VALUE}).")
    Duration stepDuration;

    @Option(names = "--steps", defaultValue = "6", description = "Search steps after the target check (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--connections", defaultValue = "64", description = "Connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--wrk-duration", defaultValue = "10s", converter = DurationConverter.class,
        description = "wrk closed-loop comparison duration; 0s skips it (default ${DEFAULT-VALUE}).")
    Duration wrkDuration;

    @Option(names = "--lag-bound", defaultValue = "1ms", converter = DurationConverter.class, description = "Lag p99 bound.")
    Duration lagBound;

    @Option(names = "--no-pin", description = "Do not pin (generator and server float over all CPUs).")
    boolean noPin;

    @Option(names = "--generator-cpu", defaultValue = "0", description = "CPU for the generator (default ${DEFAULT-VALUE}).")
    int generatorCpu;

    @Option(names = "--server-cpu", defaultValue = "1", description = "CPU for the server (default ${DEFAULT-VALUE}).")
    int serverCpu;

    @Option(names = "--aux-cpus", description = "CPUs for this JVM's threads other than the event loop (JIT, GC, reporter); "
        + "default: the generator CPU (whole JVM there). Elsewhere (e.g. 1): the loop is pinned alone to the generator CPU.")
    String auxCpus;

    @Option(names = "--loop-nice", description = "With --aux-cpus elsewhere: nice value of the pinned event-loop thread "
        + "(and the stall meter), e.g. -20 (root). Default: unchanged.")
    Integer loopNice;

    @Option(names = "--busy-poll", defaultValue = "AUTO",
        description = "Generator event loop: AUTO (spin from 30000 req/s), ON or OFF, as in run (default ${DEFAULT-VALUE}).")
    LoadContext.BusyPoll busyPoll;

    @Option(names = "--transport", defaultValue = "AUTO",
        description = "Generator socket I/O: auto, io_uring, epoll or nio, as in run (default ${DEFAULT-VALUE}).")
    LoadContext.Transport transport;

    @Option(names = "--stall-check", defaultValue = "3s", converter = DurationConverter.class,
        description = "Spin this long on the generator CPU first to measure its stalls; 0s skips (default ${DEFAULT-VALUE}).")
    Duration stallCheck;

    @Option(names = "--json", description = "Also write the JSON result here.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be > 0");
        }
        final Calibrator.Settings s = new Calibrator.Settings();
        s.rate = rate;
        s.duration = duration;
        s.warmup = warmup;
        s.stepDuration = stepDuration;
        s.steps = steps;
        s.connections = connections;
        s.wrkDuration = wrkDuration;
        s.lagBound = lagBound;
        s.pin = !noPin;
        s.generatorCpu = generatorCpu;
        s.serverCpu = serverCpu;
        s.auxCpus = auxCpus;
        s.loopNice = loopNice;
        s.busyPoll = busyPoll;
        s.transport = transport;
        s.stallCheck = stallCheck;
        final Map<String, Object> result = Calibrator.run(s);
        ResultOutput.emit(System.out, LoadResult.toJson(result), json);
        return 0;
    }
}
