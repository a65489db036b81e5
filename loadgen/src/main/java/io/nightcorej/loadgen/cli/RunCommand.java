package io.nightcorej.loadgen.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.nightcorej.loadgen.engine.LoadContext;
import io.nightcorej.loadgen.engine.OpenLoopEngine;
import io.nightcorej.loadgen.report.LoadResult;
import io.nightcorej.loadgen.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/loadgen run}: one open-loop run with our engine. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Open-loop (wrk2-style) load at a fixed rate; latency corrected from the intended send time.",
        "Last stdout line: the JSON result. Exit 0 = ran (check \"trustworthy\"), 2 = bad arguments, 1 = failure."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "Target: http://host:port (SocialNetwork workloads add "
        + "/wrk2-api/... paths), the front-end URL (hotelreservation-mixed adds /hotels, /recommendations, /user, "
        + "/reservation to its path) or the URL to POST to (nop-post).")
    URI url;

    @Option(names = "--rate", required = true, description = "Requests per second (total over all connections).")
    double rate;

    @Option(names = "--connections", defaultValue = "64", description = "Keep-alive connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
        description = "Warm-up at the same rate, not recorded (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
        description = "Measured duration (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--workload", defaultValue = Workloads.NOP_POST,
        description = "One of: nop-post, socialnetwork-compose, socialnetwork-home-timeline, socialnetwork-user-timeline, "
            + "socialnetwork-follow, socialnetwork-mixed, socialnetwork-upstream, hotelreservation-mixed (default ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; same seed = same request sequence.")
    long seed;

    @Option(names = "--poisson", description = "Poisson arrivals (exponential gaps) instead of a constant rate.")
    boolean poisson;

    @Option(names = "--json", description = "Also write the JSON result to this file.")
    Path json;

    @Option(names = "--hlog", description = "Write an HdrHistogram interval log (.hlog), tags corrected/uncorrected/lag, µs.")
    Path hlog;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
        description = "Response timeout per request (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--lag-bound", defaultValue = "1ms", converter = DurationConverter.class,
        description = "Send-lag p99 above this makes the run untrustworthy (default ${DEFAULT-VALUE}).")
    Duration lagBound;

    @Option(names = "--late-threshold", defaultValue = "1ms", converter = DurationConverter.class,
        description = "A send later than this behind schedule counts as late (default ${DEFAULT-VALUE}).")
    Duration lateThreshold;

    @Option(names = "--max-late-fraction", defaultValue = "0.01",
        description = "More late sends than this fraction makes the run untrustworthy (default ${DEFAULT-VALUE}).")
    double maxLateFraction;

    @Option(names = "--progress", defaultValue = "5s", converter = DurationConverter.class,
        description = "Progress line and .hlog interval (default ${DEFAULT-VALUE}).")
    Duration progress;

    @Option(names = "--target-form", defaultValue = "ABSOLUTE",
        description = "ABSOLUTE (POST http://host:port/path, as the Lua scripts) or ORIGIN (POST /path).")
    LoadContext.TargetForm targetForm;

    @Option(names = "--max-user-index", defaultValue = "962", description = "The scripts' max_user_index (default ${DEFAULT-VALUE}).")
    int maxUserIndex;

    @Option(names = "--no-epoll", description = "Use NIO even if epoll is available (= --transport nio).")
    boolean noEpoll;

    @Option(names = "--transport", defaultValue = "AUTO",
        description = "Socket I/O: auto, io_uring, epoll or nio; an unavailable choice falls back (io_uring -> epoll -> nio) "
            + "with a one-line message (default ${DEFAULT-VALUE}).")
    LoadContext.Transport transport;

    @Option(names = "--loop-cpu", description = "Pin the event-loop thread (only it) to this CPU list with taskset, e.g. 0; "
        + "put the rest of the JVM elsewhere with taskset -a to give the generator a core of its own.")
    String loopCpu;

    @Option(names = "--loop-nice", description = "Nice value for the event-loop thread, e.g. -20 (needs root).")
    Integer loopNice;

    @Option(names = "--busy-poll", defaultValue = "AUTO",
        description = "AUTO (spin from 30000 req/s with >= 2 CPUs), ON or OFF: spin the event "
            + "loop on a non-blocking poll instead of sleeping between sends; costs the whole core (default ${DEFAULT-VALUE}).")
    LoadContext.BusyPoll busyPoll;

    @Option(names = "--quiet", description = "No progress lines or table; only the JSON line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        final LoadContext ctx = new LoadContext()
            .url(url).rate(rate).connections(connections).warmup(warmup).duration(duration).workload(workload)
            .seed(seed).poisson(poisson).timeout(timeout).lagBound(lagBound).lateThreshold(lateThreshold)
            .maxLateFraction(maxLateFraction).progressInterval(progress).hlog(hlog).targetForm(targetForm)
            .maxUserIndex(maxUserIndex).transport(noEpoll ? LoadContext.Transport.NIO : transport)
            .busyPoll(busyPoll).loopCpus(loopCpu).loopNice(loopNice)
            .quiet(quiet).out(System.out)
            .conclude();
        final LoadResult r = OpenLoopEngine.run(ctx);
        ResultOutput.emit(System.out, r.toJson(), json);
        return 0;
    }
}
