package io.nightcorej.microservices.common.storage;

import io.nightcorej.microservices.common.storage.embedded.MemcachedServer;
import io.nightcorej.microservices.common.storage.embedded.RespServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures one-client, closed-loop latency of the store operations the workloads use, through the same store classes,
 * against our embedded servers and Debian's redis-server/memcached in the same run (rounds interleave A and B so drift
 * from a shared, noisy machine hits both alike). Prints one JSON line with p50/p99 in microseconds per
 * backend and operation; a missing Debian binary is reported and its rows skipped.
 *
 * <pre>
 *   java -cp social-network.jar io.nightcorej.microservices.common.storage.StoreLatencyMain --ops 2000 --rounds 3
 * </pre>
 */
@Command(name = "store-latency", mixinStandardHelpOptions = true,
        description = "Latency of SortedSetStore/CacheStore operations: embedded vs real servers.")
public final class StoreLatencyMain implements Callable<Integer> {

    @Option(names = "--ops", defaultValue = "2000", description = "operations per measurement (default ${DEFAULT-VALUE})")
    int ops;

    @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "2000", description = "warm-up operations per backend")
    int warmup;

    private interface Op {
        void run(int i);
    }

    @Override
    public Integer call() throws Exception {
        if (ops < 1 || rounds < 1 || ops * (long) rounds > 1_000_000) {
            System.err.println("store-latency: need 1 <= ops*rounds <= 1,000,000");
            return 2;
        }
        final boolean realRedis = LocalServerProcess.findExecutable("redis-server").isPresent();
        final boolean realMemcached = LocalServerProcess.findExecutable("memcached").isPresent();
        final List<AutoCloseable> toClose = new ArrayList<>();
        final Map<String, Op> operations = new LinkedHashMap<>();
        try {
            final RespServer resp = RespServer.start("127.0.0.1", 0);
            toClose.add(resp);
            addRedisOps(operations, "redis_embedded", resp.address(), toClose);
            if (realRedis) {
                final LocalServerProcess redis = LocalServerProcess.redis(LocalServerProcess.freePort());
                toClose.add(redis);
                addRedisOps(operations, "redis_real", redis.address(), toClose);
            }
            final MemcachedServer mc = MemcachedServer.start("127.0.0.1", 0);
            toClose.add(mc);
            addCacheOps(operations, "memcached_embedded", mc.address(), toClose);
            if (realMemcached) {
                final LocalServerProcess memcached = LocalServerProcess.memcached(LocalServerProcess.freePort());
                toClose.add(memcached);
                addCacheOps(operations, "memcached_real", memcached.address(), toClose);
            }
            final Map<String, long[]> samples = new LinkedHashMap<>();
            operations.forEach((name, op) -> {
                for (int i = 0; i < warmup; i++) {
                    op.run(i);
                }
                samples.put(name, new long[ops * rounds]);
            });
            for (int r = 0; r < rounds; r++) {
                for (final Map.Entry<String, Op> e : operations.entrySet()) {
                    final long[] s = samples.get(e.getKey());
                    for (int i = 0; i < ops; i++) {
                        final long t0 = System.nanoTime();
                        e.getValue().run(i);
                        s[r * ops + i] = System.nanoTime() - t0;
                    }
                }
            }
            final StringBuilder json = new StringBuilder("{\"ops\":").append(ops).append(",\"rounds\":").append(rounds)
                    .append(",\"real_redis\":").append(realRedis).append(",\"real_memcached\":").append(realMemcached);
            samples.forEach((name, s) -> {
                Arrays.sort(s);
                json.append(",\"").append(name).append("_p50_us\":").append(micros(s, 0.50))
                        .append(",\"").append(name).append("_p99_us\":").append(micros(s, 0.99));
            });
            System.out.println(json.append('}'));
            return 0;
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                toClose.get(i).close();
            }
        }
    }

    private static String micros(final long[] sorted, final double q) {
        final long ns = sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
        return String.format(java.util.Locale.ROOT, "%.1f", ns / 1000.0);
    }

    private static void addRedisOps(final Map<String, Op> ops, final String prefix, final String address,
            final List<AutoCloseable> toClose) {
        final JedisSortedSetStore store = new JedisSortedSetStore(address, 5000, 4);
        toClose.add(store);
        final List<SortedSetStore.Entry> timeline = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            timeline.add(new SortedSetStore.Entry("post-" + i, 1_700_000_000_000d + i));
        }
        store.add("bench-timeline", timeline);
        ops.put(prefix + "_zrevrange10", i -> store.rangeByRankDescending("bench-timeline", 0, 9));
        ops.put(prefix + "_zadd", i -> store.add("bench-w", List.of(new SortedSetStore.Entry("p" + (i & 1023), i))));
    }

    private static void addCacheOps(final Map<String, Op> ops, final String prefix, final String address,
            final List<AutoCloseable> toClose) {
        final SpyCacheStore store = new SpyCacheStore(address, 5000);
        toClose.add(store);
        final byte[] value = new byte[1024];
        store.set("bench-post", value, 0);
        ops.put(prefix + "_get1k", i -> store.get("bench-post"));
        ops.put(prefix + "_set1k", i -> store.set("bench-k" + (i & 1023), value, 0));
    }

    /** @param args see {@link StoreLatencyMain}. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new StoreLatencyMain()).execute(args));
    }
}
