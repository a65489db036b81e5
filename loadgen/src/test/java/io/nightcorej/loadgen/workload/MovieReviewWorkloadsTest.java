package io.nightcorej.loadgen.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code moviereview-compose} must reproduce NC's {@code compose-review.lua} (deathstarbench.md §2.7): one form POST per
 * request, users 1..1000 and ratings 0..10 uniform, titles uniform over the 1000-entry table sent raw except
 * {@code &} → {@code %26}, 256 alphanumeric characters of text. Fixed seeds, so the χ² checks (at 5 σ) are
 * deterministic.
 */
class MovieReviewWorkloadsTest {
    private static final Pattern BODY = Pattern.compile(
        "^username=username_(\\d+)&password=password_(\\d+)&title=(.+)&rating=(\\d+)&text=([A-Za-z0-9]+)$");

    private static RequestGenerator gen(final String url, final long seed) {
        return Workloads.byName("moviereview-compose").newGenerator(new WorkloadOptions(seed, URI.create(url), 962));
    }

    @Test
    void titlesMatchTheMediaModulesSyntheticDataSet() throws Exception {
        final List<String> titles = new ArrayList<>();
        for (int i = 0; i < MovieReviewWorkloads.MOVIES; i++) {
            titles.add(MovieReviewWorkloads.title(i));
        }
        final byte[] digest = MessageDigest.getInstance("SHA-256")
            .digest(String.join("\n", titles).getBytes(StandardCharsets.UTF_8));
        // the same constant is pinned by media-microservices' SyntheticTmdbTest
        assertThat(java.util.HexFormat.of().formatHex(digest))
            .isEqualTo("e6c6444797017695f5a5d1e9c518f97eca680cbf1602fc0516c2f975ea669bbe")
            .isEqualTo(MovieReviewWorkloads.TITLES_SHA256);
        assertThat(new HashSet<>(titles)).hasSize(995);
        assertThat(titles).allSatisfy(t -> assertThat(t).doesNotContain("+", "%"));
    }

    @Test
    void composeReviewDrawsUniformlyAndSendsTheRawTitle() {
        final RequestGenerator g = gen("http://127.0.0.1:8080", 11);
        final Map<String, List<Integer>> indexByBodyTitle = new HashMap<>();
        for (int i = 0; i < MovieReviewWorkloads.MOVIES; i++) {
            indexByBodyTitle.computeIfAbsent(MovieReviewWorkloads.title(i).replace("&", "%26"), k -> new ArrayList<>()).add(i);
        }
        final int n = 200_000;
        final int[] users = new int[1001];
        final int[] ratings = new int[11];
        final int[] titleDraws = new int[1000];
        boolean sawAmpersand = false;
        boolean sawUtf8 = false;
        for (int i = 0; i < n; i++) {
            final RequestSpec r = g.next();
            assertThat(r.operation()).isEqualTo("compose-review");
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.pathAndQuery()).isEqualTo("/wrk2-api/review/compose");
            assertThat(r.header("Content-Type")).isEqualTo(RequestSpec.FORM);
            final Matcher m = BODY.matcher(r.body());
            assertThat(m.matches()).as(r.body()).isTrue();
            assertThat(m.group(1)).isEqualTo(m.group(2));
            users[Integer.parseInt(m.group(1))]++;
            ratings[Integer.parseInt(m.group(4))]++;
            assertThat(m.group(5)).hasSize(256);
            final String title = m.group(3);
            assertThat(title).doesNotContain("&");
            sawAmpersand |= title.contains("%26");
            sawUtf8 |= title.contains("é");
            final List<Integer> indexes = indexByBodyTitle.get(title);
            assertThat(indexes).as(title).isNotNull();
            titleDraws[indexes.get(0)] += 1; // a duplicated title is drawn for two entries: counted on the first
        }
        assertThat(sawAmpersand).isTrue();
        assertThat(sawUtf8).isTrue();
        Distributions.assertUniform(users, 1, 1000, n);
        Distributions.assertUniform(ratings, 0, 10, n);
        // the 5 duplicated titles are drawn twice as often as the others (2/1000 each)
        final double e = n / 1000.0;
        double chi2 = 0;
        int k = 0;
        for (int i = 0; i < 1000; i++) {
            if (i % 200 == 199) {
                assertThat(titleDraws[i]).isZero();
                continue;
            }
            final double expected = i % 200 == 99 ? 2 * e : e;
            chi2 += (titleDraws[i] - expected) * (titleDraws[i] - expected) / expected;
            k++;
        }
        assertThat(chi2).isLessThan((k - 1) + 5 * Math.sqrt(2.0 * (k - 1)));
    }

    @Test
    void sameSeedSameRequestsAndPathIsRelativeToTheUrl() {
        final RequestGenerator a = gen("http://127.0.0.1:8080/x/", 5);
        final RequestGenerator b = gen("http://127.0.0.1:8080/x/", 5);
        for (int i = 0; i < 1000; i++) {
            final RequestSpec ra = a.next();
            final RequestSpec rb = b.next();
            assertThat(ra.body()).isEqualTo(rb.body());
            assertThat(ra.pathAndQuery()).isEqualTo("/x/wrk2-api/review/compose");
        }
        assertThat(gen("http://127.0.0.1:8080", 6).next().body()).isNotEqualTo(gen("http://127.0.0.1:8080", 5).next().body());
        final String wire = new String(gen("http://127.0.0.1:8080", 5).next().encode("http://127.0.0.1:8080", "127.0.0.1:8080"),
            StandardCharsets.UTF_8);
        assertThat(wire).startsWith("POST http://127.0.0.1:8080/wrk2-api/review/compose HTTP/1.1\r\n")
            .contains("Content-Type: application/x-www-form-urlencoded\r\n", "Content-Length: ");
    }
}
