package io.nightcorej.engine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightcorej.engine.Engine;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The nop internal-call benchmark without a gateway: an embedded engine with two containers, {@code Nop}
 * ({@code io.nightcorej.launcher.bench.NopFunction}) and {@code NopCaller}
 * ({@code io.nightcorej.launcher.bench.InternalCallBenchFunction}), which times N sequential internal calls to Nop
 * at the caller. Prints one JSON line last, with the RSS of the engine and of the containers.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp &lt;engine + launcher classpath&gt; \
 *     io.nightcorej.engine.bench.InternalCallBench --calls 50000 --warmup 20000 --channel shm
 * </pre>
 */
public final class InternalCallBench {

    private InternalCallBench() {
    }

    public static void main(final String[] args) throws Exception {
        final StackConfig config0 = new StackConfig();
        int calls = 50_000;
        int warmup = 20_000;
        int payload = 5;
        int spin = -1;
        int rounds = 1;
        String channel = null;
        boolean async = false;
        Boolean directReply = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls":
                    calls = Integer.parseInt(args[++i]);
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(args[++i]);
                    break;
                case "--payload":
                    payload = Integer.parseInt(args[++i]);
                    break;
                case "--spin":
                    spin = Integer.parseInt(args[++i]);
                    break;
                case "--worker-spin":
                    config0.engine().workerSpinMicros(Integer.parseInt(args[++i]));
                    break;
                case "--reply-spin":
                    config0.engine().replySpinMicros(Integer.parseInt(args[++i]));
                    break;
                case "--channel":
                    channel = args[++i];
                    break;
                case "--rounds":
                    rounds = Integer.parseInt(args[++i]);
                    break;
                case "--async":
                    async = true;
                    break;
                case "--direct-reply":
                    directReply = Boolean.parseBoolean(args[++i]);
                    break;
                default:
                    System.err.println("usage: InternalCallBench [--calls N] [--warmup N] [--payload BYTES] [--channel shm|fifo]"
                        + " [--spin MICROS] [--worker-spin MICROS] [--reply-spin MICROS] [--rounds N] [--async]"
                        + " [--direct-reply true|false]");
                    System.exit(64);
            }
        }
        final StackConfig config = config0;
        if (channel != null) {
            config.engine().channel(channel);
        }
        if (spin >= 0) {
            config.engine().spinMicros(spin);
        }
        if (directReply != null) {
            config.engine().directReply(directReply);
        }
        config.addFunction(new FunctionConfig().name("Nop").id(1).minWorkers(1).maxWorkers(2)
            .handler("io.nightcorej.launcher.bench.NopFunction").isolation("process"));
        config.addFunction(new FunctionConfig().name("NopCaller").id(2).minWorkers(1).maxWorkers(1)
            .handler("io.nightcorej.launcher.bench.InternalCallBenchFunction").isolation("process").timeoutMs(600_000));
        config.conclude();
        final ObjectMapper json = new ObjectMapper();
        try (Engine engine = Engine.launchEmbedded(config)) {
            if (!engine.awaitWorkers("Nop", 1, 60_000) || !engine.awaitWorkers("NopCaller", 1, 60_000)) {
                throw new IllegalStateException("containers did not start within 60 s");
            }
            final byte[] request = ("{\"callee\":\"Nop\",\"calls\":" + calls + ",\"warmup\":" + warmup + ",\"payloadBytes\":"
                + payload + ",\"async\":" + async + "}").getBytes(StandardCharsets.UTF_8);
            ObjectNode result = null;
            for (int r = 0; r < rounds; r++) {
                final byte[] out = engine.call("NopCaller", request).get(600, TimeUnit.SECONDS);
                result = (ObjectNode) json.readTree(out);
                if (r < rounds - 1) {
                    System.out.println(result);
                }
            }
            result.put("channel", engine.channelKind().configName());
            result.put("spin_us", config.engine().spinMicros());
            result.put("worker_spin_us", config.engine().workerSpinMicros());
            result.put("reply_spin_us", config.engine().replySpinMicros());
            result.put("direct_reply", config.engine().directReply());
            result.put("payload_bytes", payload);
            result.put("engine_rss_mib", rssMib(ProcessHandle.current().pid()));
            for (final Map.Entry<String, Long> e : engine.containerPids().entrySet()) {
                result.put("container_rss_mib_" + e.getKey(), rssMib(e.getValue()));
            }
            System.out.println(result);
        }
    }

    /** @return the resident set size of a process in MiB, from /proc (-1 when unavailable). */
    public static double rssMib(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    final long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Math.round(kib / 1024.0 * 10) / 10.0;
                }
            }
        } catch (final IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
