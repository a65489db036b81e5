package io.nightcorej.loadgen.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.nightcorej.loadgen.report.LoadResult;
import io.nightcorej.loadgen.wrk.WrkRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/loadgen wrk}: run wrk2 (open-loop) if on PATH, else Debian wrk (closed-loop), and report the same JSON. */
@Command(name = "wrk", mixinStandardHelpOptions = true,
    description = {"Wraps wrk2 (constant rate, -L -U) or, if wrk2 is absent, Debian's wrk (CLOSED-LOOP: latencies not",
        "corrected; labelled so). Parses --latency output and a Lua done() JSON line into the loadgen result JSON."})
public final class WrkCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "Target URL.")
    URI url;

    @Option(names = "--script", description = "Lua script (wrk/wrk2 request(), init(), ...).")
    Path script;

    @Option(names = "--workload", description = "Without --script: 'nop-post' (POST 5 bytes). Default: wrk's GET.")
    String workload;

    @Option(names = "--rate", description = "Requests per second (wrk2 -R; ignored by closed-loop wrk).")
    Double rate;

    @Option(names = "--threads", defaultValue = "1", description = "wrk threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--connections", defaultValue = "64", description = "Connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class, description = "Duration.")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "0s", converter = DurationConverter.class,
        description = "Separate discarded run before the measured one (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class, description = "Request timeout.")
    Duration timeout;

    @Option(names = "--seed", defaultValue = "1", description = "Seed base: thread i gets seed+i.")
    long seed;

    @Option(names = "--tool", defaultValue = "AUTO", description = "AUTO (wrk2 if on PATH), WRK or WRK2.")
    WrkRunner.Tool tool;

    @Option(names = "--json", description = "Also write the JSON result here.")
    Path json;

    @Override
    public Integer call() throws Exception {
        final WrkRunner.Settings s = new WrkRunner.Settings();
        s.tool = tool;
        s.url = url;
        s.script = script;
        s.workload = workload;
        s.rate = rate;
        s.threads = threads;
        s.connections = connections;
        s.duration = duration;
        s.warmup = warmup;
        s.timeout = timeout;
        s.seed = seed;
        s.echo = System.out;
        final LoadResult r = WrkRunner.run(s);
        ResultOutput.emit(System.out, r.toJson(), json);
        return 0;
    }
}
