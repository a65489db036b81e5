package io.nightcorej.loadgen.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The generators must reproduce the wrk2 Lua scripts' distributions (deathstarbench.md §1.7): ranges exactly,
 * frequencies statistically (fixed seeds, so these tests are deterministic).
 */
class SocialNetworkWorkloadsTest {
    private static final URI URL = URI.create("http://127.0.0.1:8080");
    private static final Pattern COMPOSE = Pattern.compile(
        "^username=username_(\\d+)&user_id=(\\d+)&text=(.*)&media_ids=\\[(.*)\\]&media_types=\\[(.*)\\]&post_type=0$");
    private static final Pattern TIMELINE = Pattern.compile("^(/wrk2-api/[a-z-]+/read)\\?user_id=(\\d+)&start=(\\d+)&stop=(\\d+)$");
    private static final Pattern MENTION = Pattern.compile(" @username_(\\d+)");
    private static final Pattern URL_IN_TEXT = Pattern.compile(" http://([A-Za-z0-9]*)");

    private static RequestGenerator gen(final String name, final long seed) {
        return Workloads.byName(name).newGenerator(new WorkloadOptions(seed, URL, 962));
    }

    /** Parsed compose-post: checks the body's structure and returns the counts. */
    private static int[] checkCompose(final RequestSpec r, final int textLength, final int lo, final int hi) {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.pathAndQuery()).isEqualTo("/wrk2-api/post/compose");
        assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        final Matcher m = COMPOSE.matcher(r.body());
        assertThat(m.matches()).as(r.body()).isTrue();
        final int user = Integer.parseInt(m.group(1));
        assertThat(m.group(2)).isEqualTo(m.group(1));
        assertThat(user).isBetween(lo, hi);
        final String text = m.group(3);
        for (int i = 0; i < textLength; i++) {
            if (!LuaRandom.inCharset(text.charAt(i))) {
                throw new AssertionError("character outside the 62-character charset at " + i + ": " + text);
            }
        }
        assertThat(text.charAt(textLength)).isEqualTo(' ');
        int mentions = 0;
        final Matcher mm = MENTION.matcher(text);
        while (mm.find()) {
            final int id = Integer.parseInt(mm.group(1));
            assertThat(id).isBetween(lo, hi).isNotEqualTo(user);
            mentions++;
        }
        int urls = 0;
        final Matcher um = URL_IN_TEXT.matcher(text);
        while (um.find()) {
            assertThat(um.group(1)).hasSize(64);
            urls++;
        }
        // Structure: text, then all mentions, then all urls, nothing else; and the body is not percent-encoded.
        final int expectedLength = textLength + text.substring(textLength).length();
        assertThat(text).hasSize(expectedLength).doesNotContain("%");
        final String ids = m.group(4);
        final String[] idList = ids.split(",");
        for (String id : idList) {
            assertThat(id).matches("\"[0-9]{18}\"");
        }
        final String[] types = m.group(5).split(",");
        assertThat(types).hasSameSizeAs(idList).containsOnly("\"png\"");
        return new int[] {mentions, urls, idList.length, user};
    }

    @Test
    void composePostMatchesNightcoreComposePostLua() {
        final RequestGenerator g = gen("socialnetwork-compose", 11);
        final int n = 15_000;
        final int[] mentions = new int[8];
        final int[] urls = new int[8];
        final int[] media = new int[8];
        int minUser = Integer.MAX_VALUE;
        int maxUser = 0;
        for (int i = 0; i < n; i++) {
            final RequestSpec r = g.next();
            assertThat(r.header("Req-Id")).matches("[0-9a-f]{32}");
            final int[] c = checkCompose(r, 256, 1, 962);
            mentions[c[0]]++;
            urls[c[1]]++;
            media[c[2]]++;
            minUser = Math.min(minUser, c[3]);
            maxUser = Math.max(maxUser, c[3]);
        }
        // for i = 0, n runs n+1 times: random(0,5)+1 -> 1..6 uniform; random(0,4)+1 -> 1..5 uniform.
        Distributions.assertUniform(mentions, 1, 6, n);
        Distributions.assertUniform(urls, 1, 6, n);
        Distributions.assertUniform(media, 1, 5, n);
        assertThat(minUser).isEqualTo(1);
        assertThat(maxUser).isEqualTo(962);
    }

    @Test
    void timelinesMatchTheirScripts() {
        final RequestGenerator home = gen("socialnetwork-home-timeline", 3);
        final RequestGenerator user = gen("socialnetwork-user-timeline", 3);
        final int[] starts = new int[101];
        int minUser = Integer.MAX_VALUE;
        int maxUser = 0;
        for (int i = 0; i < 30_000; i++) {
            final RequestSpec h = home.next();
            assertThat(h.method()).isEqualTo("GET");
            assertThat(h.body()).isNull();
            final Matcher mh = TIMELINE.matcher(h.pathAndQuery());
            assertThat(mh.matches()).isTrue();
            assertThat(mh.group(1)).isEqualTo("/wrk2-api/home-timeline/read");
            final int start = Integer.parseInt(mh.group(3));
            assertThat(Integer.parseInt(mh.group(4))).isEqualTo(start + 10);
            starts[start]++;
            final RequestSpec u = user.next();
            final Matcher mu = TIMELINE.matcher(u.pathAndQuery());
            assertThat(mu.matches()).isTrue();
            assertThat(mu.group(1)).isEqualTo("/wrk2-api/user-timeline/read");
            assertThat(Integer.parseInt(mu.group(4))).isEqualTo(Integer.parseInt(mu.group(3)) + 1);
            assertThat(u.header("Req-Id")).matches("[0-9a-f]{32}");
            final int uid = Integer.parseInt(mu.group(2));
            minUser = Math.min(minUser, uid);
            maxUser = Math.max(maxUser, uid);
        }
        Distributions.assertUniform(starts, 0, 100, 30_000);
        assertThat(minUser).isEqualTo(1);
        assertThat(maxUser).isEqualTo(962);
    }

    @Test
    void nightcoreMixedIs40_25_30_5WithTheMixedComposeShape() {
        final RequestGenerator g = gen("socialnetwork-mixed", 5);
        final int n = 60_000;
        final Map<String, Integer> ops = new HashMap<>();
        final int[] mentions = new int[8];
        final int[] media = new int[8];
        for (int i = 0; i < n; i++) {
            final RequestSpec r = g.next();
            ops.merge(r.operation(), 1, Integer::sum);
            switch (r.operation()) {
                case "compose-post" -> {
                    assertThat(r.header("Req-Id")).isNull();
                    final int[] c = checkCompose(r, 64, 1, 962);
                    mentions[c[0]]++;
                    media[c[2]]++;
                    assertThat(c[1]).isBetween(1, 3);
                }
                case "follow" -> {
                    assertThat(r.pathAndQuery()).isEqualTo("/wrk2-api/user/follow");
                    final Matcher m = Pattern.compile("^user_id=(\\d+)&followee_id=(\\d+)$").matcher(r.body());
                    assertThat(m.matches()).isTrue();
                    assertThat(Integer.parseInt(m.group(1))).isBetween(1, 962);
                    assertThat(Integer.parseInt(m.group(2))).isBetween(1, 962);
                }
                default -> {
                    final Matcher m = TIMELINE.matcher(r.pathAndQuery());
                    assertThat(m.matches()).isTrue();
                    // NC mixed.lua: both timelines use stop = start + 1 and send no Content-Type on the GET.
                    assertThat(Integer.parseInt(m.group(4))).isEqualTo(Integer.parseInt(m.group(3)) + 1);
                    assertThat(r.headers()).isEmpty();
                }
            }
        }
        Distributions.assertShare("read-user-timeline", ops.get("read-user-timeline"), 0.40, n);
        Distributions.assertShare("read-home-timeline", ops.get("read-home-timeline"), 0.25, n);
        Distributions.assertShare("compose-post", ops.get("compose-post"), 0.30, n);
        Distributions.assertShare("follow", ops.get("follow"), 0.05, n);
        final int composes = ops.get("compose-post");
        Distributions.assertUniform(mentions, 1, 3, composes);
        Distributions.assertUniform(media, 1, 3, composes);
    }

    @Test
    void upstreamMixedIs60_30_10WithZeroBasedUsers() {
        final RequestGenerator g = gen("socialnetwork-upstream", 9);
        final int n = 60_000;
        final Map<String, Integer> ops = new HashMap<>();
        int minUser = Integer.MAX_VALUE;
        int maxUser = 0;
        for (int i = 0; i < n; i++) {
            final RequestSpec r = g.next();
            ops.merge(r.operation(), 1, Integer::sum);
            if (r.operation().equals("compose-post")) {
                final int[] c = checkCompose(r, 256, 0, 961);
                assertThat(c[0]).isBetween(1, 6);
                assertThat(c[2]).isBetween(1, 5);
            } else {
                final Matcher m = TIMELINE.matcher(r.pathAndQuery());
                assertThat(m.matches()).isTrue();
                assertThat(Integer.parseInt(m.group(4))).isEqualTo(Integer.parseInt(m.group(3)) + 10);
                final int uid = Integer.parseInt(m.group(2));
                minUser = Math.min(minUser, uid);
                maxUser = Math.max(maxUser, uid);
            }
        }
        Distributions.assertShare("read-home-timeline", ops.get("read-home-timeline"), 0.60, n);
        Distributions.assertShare("read-user-timeline", ops.get("read-user-timeline"), 0.30, n);
        Distributions.assertShare("compose-post", ops.get("compose-post"), 0.10, n);
        assertThat(minUser).isZero();
        assertThat(maxUser).isEqualTo(961);
    }

    @Test
    void aSeedMakesTheSequenceRepeatableAndDifferentSeedsDiffer() {
        for (String name : Workloads.names()) {
            final RequestGenerator a = gen(name, 42);
            final RequestGenerator b = gen(name, 42);
            final RequestGenerator c = gen(name, 43);
            boolean differs = false;
            for (int i = 0; i < 200; i++) {
                final byte[] x = a.next().encode("http://127.0.0.1:8080", "127.0.0.1:8080");
                assertThat(b.next().encode("http://127.0.0.1:8080", "127.0.0.1:8080")).isEqualTo(x);
                differs |= !java.util.Arrays.equals(x, c.next().encode("http://127.0.0.1:8080", "127.0.0.1:8080"));
            }
            assertThat(differs).as(name).isEqualTo(!name.equals(Workloads.NOP_POST));
        }
    }

    @Test
    void encodesLikeWrkFormatWithAnAbsoluteTargetAndAnUnencodedBody() {
        final RequestSpec r = gen("socialnetwork-mixed", 1).next();
        final RequestSpec compose = findCompose();
        final String wire = new String(compose.encode("http://127.0.0.1:8080", "127.0.0.1:8080"), StandardCharsets.UTF_8);
        assertThat(wire).startsWith("POST http://127.0.0.1:8080/wrk2-api/post/compose HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n");
        final int split = wire.indexOf("\r\n\r\n");
        final String body = wire.substring(split + 4);
        assertThat(wire).contains("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
        assertThat(body).contains(" @username_", " http://", "[\"", "\"png\"");
        final String get = new String(r.encode("", "h:1"), StandardCharsets.UTF_8);
        assertThat(get).doesNotContain("Content-Length");
        final String nop = new String(gen(Workloads.NOP_POST, 1).next().encode("", "h:1"), StandardCharsets.UTF_8);
        assertThat(nop).startsWith("POST / HTTP/1.1").endsWith("\r\n\r\nhello");
    }

    private static RequestSpec findCompose() {
        final RequestGenerator g = gen("socialnetwork-mixed", 1);
        while (true) {
            final RequestSpec r = g.next();
            if (r.operation().equals("compose-post")) {
                return r;
            }
        }
    }
}
