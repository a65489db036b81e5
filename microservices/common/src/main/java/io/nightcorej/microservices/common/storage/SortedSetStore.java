package io.nightcorej.microservices.common.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sorted sets (Redis's role in DeathStarBench: timelines and the social graph cache), spoken to through Jedis against
 * a real {@code redis-server} or the embedded RESP server. Failures throw {@link StorageException}.
 */
public interface SortedSetStore extends AutoCloseable {

    /** One scored member. */
    record Entry(String member, double score) {
    }

    /** Adds or re-scores members of one set. */
    void add(String key, List<Entry> entries);

    /** Adds one member to many sets in one round trip (home-timeline fan-out). */
    void addToMany(Map<String, Entry> entryByKey);

    /** @return members ranked from highest score, ranks {@code start..stop} inclusive (Redis ZREVRANGE). */
    List<String> rangeByRankDescending(String key, long start, long stop);

    /** @return members with their scores, ascending (Redis ZRANGE ... WITHSCORES over the whole set). */
    List<Entry> all(String key);

    /** @return true if the set exists. */
    boolean exists(String key);

    /**
     * Checks several sets in one round trip (pipelined {@code EXISTS}).
     *
     * @return for each key, in order, whether its set exists.
     */
    default List<Boolean> existsEach(final List<String> keys) {
        final List<Boolean> result = new ArrayList<>(keys.size());
        for (final String key : keys) {
            result.add(exists(key));
        }
        return result;
    }

    /** Removes members from a set. */
    void remove(String key, List<String> members);

    /** @return the number of members. */
    long size(String key);

    @Override
    void close();
}
