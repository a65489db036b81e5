package io.nightcorej.microservices.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.microservices.common.testsupport.StoreServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SortedSetStore contract, through Jedis, against our RESP server and Debian's redis-server alike. */
class SortedSetStoreTest {

    private static final Map<String, StoreServer> BACKENDS = new ConcurrentHashMap<>();
    private static final Map<String, JedisSortedSetStore> STORES = new ConcurrentHashMap<>();

    private static JedisSortedSetStore store(final String kind) {
        final StoreServer backend = BACKENDS.computeIfAbsent(kind, StoreServer::redis);
        final JedisSortedSetStore store = STORES.computeIfAbsent(kind, k -> new JedisSortedSetStore(backend.address(), 2000));
        store.flushAll();
        return store;
    }

    @AfterAll
    static void stop() {
        STORES.values().forEach(JedisSortedSetStore::close);
        BACKENDS.values().forEach(StoreServer::close);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void timelineReadsNewestFirstByRank(final String kind) {
        final SortedSetStore store = store(kind);
        store.add("42", List.of(new SortedSetStore.Entry("post-1", 1000), new SortedSetStore.Entry("post-3", 3000),
                new SortedSetStore.Entry("post-2", 2000)));
        assertThat(store.rangeByRankDescending("42", 0, 1)).containsExactly("post-3", "post-2");
        assertThat(store.rangeByRankDescending("42", 0, -1)).containsExactly("post-3", "post-2", "post-1");
        assertThat(store.rangeByRankDescending("42", 2, 10)).containsExactly("post-1");
        assertThat(store.rangeByRankDescending("42", 5, 10)).isEmpty();
        assertThat(store.rangeByRankDescending("missing", 0, 10)).isEmpty();
        assertThat(store.size("42")).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void allReturnsAscendingWithScoresAndReScoresExistingMembers(final String kind) {
        final SortedSetStore store = store(kind);
        store.add("7:followers", List.of(new SortedSetStore.Entry("b", 2), new SortedSetStore.Entry("a", 1.5)));
        store.add("7:followers", List.of(new SortedSetStore.Entry("a", 1_700_000_000_123d)));
        assertThat(store.all("7:followers")).containsExactly(new SortedSetStore.Entry("b", 2),
                new SortedSetStore.Entry("a", 1_700_000_000_123d));
        assertThat(store.all("nobody")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void equalScoresOrderByMemberBytes(final String kind) {
        final SortedSetStore store = store(kind);
        store.add("k", List.of(new SortedSetStore.Entry("b", 5), new SortedSetStore.Entry("a", 5),
                new SortedSetStore.Entry("c", 5)));
        assertThat(store.rangeByRankDescending("k", 0, -1)).containsExactly("c", "b", "a");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void addToManyFansOutInOnePipeline(final String kind) {
        final SortedSetStore store = store(kind);
        final Map<String, SortedSetStore.Entry> fanOut = new LinkedHashMap<>();
        for (int follower = 0; follower < 300; follower++) {
            fanOut.put(Integer.toString(follower), new SortedSetStore.Entry("post-9", 9000));
        }
        store.addToMany(fanOut);
        store.addToMany(Map.of());
        assertThat(store.exists("0")).isTrue();
        assertThat(store.exists("299")).isTrue();
        assertThat(store.exists("300")).isFalse();
        assertThat(store.rangeByRankDescending("150", 0, 0)).containsExactly("post-9");
        assertThat(store.existsEach(List.of("300", "0", "299", "nope"))).containsExactly(false, true, true, false);
        assertThat(store.existsEach(List.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void removeDeletesMembersAndAnEmptiedSetStopsExisting(final String kind) {
        final SortedSetStore store = store(kind);
        store.add("3:followees", List.of(new SortedSetStore.Entry("4", 1), new SortedSetStore.Entry("5", 2)));
        store.remove("3:followees", List.of("4", "not-a-member"));
        assertThat(store.all("3:followees")).containsExactly(new SortedSetStore.Entry("5", 2));
        store.remove("3:followees", List.of("5"));
        assertThat(store.exists("3:followees")).isFalse();
        assertThat(store.size("3:followees")).isZero();
        store.remove("never-existed", List.of("x"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void membersRoundTripUtf8AndSpaces(final String kind) {
        final SortedSetStore store = store(kind);
        store.add("u", List.of(new SortedSetStore.Entry("ünï cödé ✓", 1)));
        assertThat(store.rangeByRankDescending("u", 0, 0)).containsExactly("ünï cödé ✓");
    }
}
