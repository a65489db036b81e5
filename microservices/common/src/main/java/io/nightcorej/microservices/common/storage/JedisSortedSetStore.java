package io.nightcorej.microservices.common.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.Tuple;

/**
 * {@link SortedSetStore} over Jedis, against a real {@code redis-server} or the embedded {@code RespServer}.
 *
 * <p>Connections come from a {@link JedisPool}; connect, read and pool-checkout waits are all bounded by
 * {@code timeoutMs}, so an unreachable server gives a {@link StorageException} naming the server and the command. A
 * connection that broke is destroyed by the pool, so the next operation reconnects once the server is back.
 *
 * <p>Jedis speaks RESP2 here and does not send {@code CLIENT SETINFO} on connect: that keeps the handshake to zero
 * round trips, which matters because the pool opens connections on the request path.
 */
public final class JedisSortedSetStore implements SortedSetStore {

    private final String address;
    private final JedisPool pool;

    /**
     * @param hostPort       {@code host:port} of the server.
     * @param timeoutMs      the bound on connect, reads and waiting for a pooled connection.
     * @param maxConnections the pool size.
     */
    public JedisSortedSetStore(final String hostPort, final long timeoutMs, final int maxConnections) {
        this.address = hostPort;
        final HostAndPort hp;
        try {
            hp = HostAndPort.from(hostPort);
        } catch (final RuntimeException e) {
            throw new StorageException("redis: bad address '" + hostPort + "', expected host:port", e);
        }
        final int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
        final DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .protocol(RedisProtocol.RESP2)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .build();
        final GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(maxConnections);
        poolConfig.setMaxIdle(maxConnections);
        poolConfig.setMinIdle(0);
        poolConfig.setMaxWait(Duration.ofMillis(timeout));
        poolConfig.setBlockWhenExhausted(true);
        poolConfig.setJmxEnabled(false);
        this.pool = new JedisPool(poolConfig, hp, config);
    }

    /** @param hostPort {@code host:port}; 64 connections, {@code timeoutMs} as given. */
    public JedisSortedSetStore(final String hostPort, final long timeoutMs) {
        this(hostPort, timeoutMs, 64);
    }

    private <T> T run(final String command, final String key, final Function<Jedis, T> body) {
        try (Jedis jedis = pool.getResource()) {
            return body.apply(jedis);
        } catch (final JedisException | IllegalStateException e) {
            throw new StorageException("redis " + address + ": " + command + (key == null ? "" : " '" + key + "'")
                    + " failed: " + describe(e), e);
        }
    }

    private static String describe(final Throwable e) {
        final Throwable cause = e.getCause();
        return cause == null || cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause + ")";
    }

    @Override
    public void add(final String key, final List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        run("ZADD", key, jedis -> {
            final Map<String, Double> scores = new java.util.LinkedHashMap<>();
            for (final Entry e : entries) {
                scores.put(e.member(), e.score());
            }
            return jedis.zadd(key, scores);
        });
    }

    @Override
    public void addToMany(final Map<String, Entry> entryByKey) {
        if (entryByKey.isEmpty()) {
            return;
        }
        run("pipelined ZADD x" + entryByKey.size(), null, jedis -> {
            final Pipeline pipeline = jedis.pipelined();
            for (final Map.Entry<String, Entry> e : entryByKey.entrySet()) {
                pipeline.zadd(e.getKey(), e.getValue().score(), e.getValue().member());
            }
            pipeline.sync();
            return null;
        });
    }

    @Override
    public List<String> rangeByRankDescending(final String key, final long start, final long stop) {
        return run("ZREVRANGE", key, jedis -> jedis.zrevrange(key, start, stop));
    }

    @Override
    public List<Entry> all(final String key) {
        return run("ZRANGE WITHSCORES", key, jedis -> {
            final List<Tuple> tuples = jedis.zrangeWithScores(key, 0, -1);
            final List<Entry> entries = new ArrayList<>(tuples.size());
            for (final Tuple t : tuples) {
                entries.add(new Entry(t.getElement(), t.getScore()));
            }
            return entries;
        });
    }

    @Override
    public boolean exists(final String key) {
        return run("EXISTS", key, jedis -> jedis.exists(key));
    }

    @Override
    public List<Boolean> existsEach(final List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return run("pipelined EXISTS x" + keys.size(), keys.get(0), jedis -> {
            final Pipeline pipeline = jedis.pipelined();
            final List<Response<Boolean>> replies = new ArrayList<>(keys.size());
            for (final String key : keys) {
                replies.add(pipeline.exists(key));
            }
            pipeline.sync();
            final List<Boolean> result = new ArrayList<>(keys.size());
            for (final Response<Boolean> reply : replies) {
                result.add(reply.get());
            }
            return result;
        });
    }

    @Override
    public void remove(final String key, final List<String> members) {
        if (members.isEmpty()) {
            return;
        }
        run("ZREM", key, jedis -> jedis.zrem(key, members.toArray(new String[0])));
    }

    @Override
    public long size(final String key) {
        return run("ZCARD", key, jedis -> jedis.zcard(key));
    }

    /** Deletes every key (tests and loaders). */
    public void flushAll() {
        run("FLUSHALL", null, Jedis::flushAll);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "JedisSortedSetStore[" + address + "]";
    }
}
