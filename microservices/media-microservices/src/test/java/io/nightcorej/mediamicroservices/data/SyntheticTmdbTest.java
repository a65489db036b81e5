package io.nightcorej.mediamicroservices.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticTmdbTest {

    @Test
    void titlesHaveTheRealListsShapeAndAgreeWithTheLoadGenerator() throws Exception {
        final List<String> titles = SyntheticTmdb.titles();
        assertThat(titles).hasSize(1000);
        assertThat(new HashSet<>(titles)).hasSize(995);
        for (final int i : new int[] {199, 399, 599, 799, 999}) {
            assertThat(titles.get(i)).isEqualTo(titles.get(i - 100));
        }
        assertThat(titles).allSatisfy(t -> assertThat(t).doesNotContain("+", "%"));
        assertThat(titles).anySatisfy(t -> assertThat(t).contains("&"));
        assertThat(titles).anySatisfy(t -> assertThat(t).contains("é"));
        // loadgen's MovieReviewWorkloadsTest pins the same digest for MovieReviewWorkloads.title
        final String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(String.join("\n", titles).getBytes(StandardCharsets.UTF_8)));
        assertThat(digest).isEqualTo("e6c6444797017695f5a5d1e9c518f97eca680cbf1602fc0516c2f975ea669bbe")
                .isEqualTo(SyntheticTmdb.TITLES_SHA256);
    }

    @Test
    void moviesAndPeopleAreDeterministicWithCastsOfAtMostTen() {
        final Set<Long> ids = new HashSet<>();
        for (int i = 0; i < SyntheticTmdb.MOVIES; i++) {
            final SyntheticTmdb.Movie m = SyntheticTmdb.movie(i);
            assertThat(m).isEqualTo(SyntheticTmdb.movie(i));
            assertThat(m.cast()).hasSizeBetween(1, 10);
            assertThat(m.cast().stream().map(SyntheticTmdb.CastEntry::personId).distinct().count()).isEqualTo(m.cast().size());
            assertThat(m.overview()).isNotBlank();
            assertThat(m.voteAverage()).isBetween(1.0, 10.0);
            ids.add(m.id());
        }
        assertThat(ids).hasSize(1000);
        final List<SyntheticTmdb.Person> people = SyntheticTmdb.people(SyntheticTmdb.MOVIES);
        assertThat(people.stream().map(SyntheticTmdb.Person::id).distinct().count()).isEqualTo(people.size());
        assertThat(people.size()).isBetween(1000, 3000);
        assertThat(people).extracting(SyntheticTmdb.Person::gender).contains(0, 1, 2);
    }
}
