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
 * {@code hotelreservation-mixed} must reproduce NC's {@code mixed-workload_type_1.lua} (deathstarbench.md §3.7): the
 * 60/39/0.5/0.5 mix, the parameter ranges exactly, the date constraints, and the upstream paths with the script's
 * query-string order. Fixed seeds, so the statistical checks (5 σ / χ² at 5 σ) are deterministic.
 */
class HotelReservationWorkloadsTest {
    private static final Pattern SEARCH = Pattern.compile(
        "^/hotels\\?inDate=2015-04-(\\d\\d)&outDate=2015-04-(\\d\\d)&lat=(-?[0-9.]+)&lon=(-?[0-9.]+)$");
    private static final Pattern RECOMMEND = Pattern.compile(
        "^/recommendations\\?require=(dis|rate|price)&lat=(-?[0-9.]+)&lon=(-?[0-9.]+)$");
    private static final Pattern USER = Pattern.compile("^/user\\?username=Cornell_(\\d+)&password=(\\d+)$");
    private static final Pattern RESERVE = Pattern.compile("^/reservation\\?inDate=2015-04-(\\d\\d)&outDate=2015-04-(\\d\\d)"
        + "&lat=nil&lon=nil&hotelId=(\\d+)&customerName=Cornell_(\\d+)&username=Cornell_(\\d+)&password=(\\d+)&number=1$");

    private static RequestGenerator gen(final String url, final long seed) {
        return Workloads.byName("hotelreservation-mixed").newGenerator(new WorkloadOptions(seed, URI.create(url), 962));
    }

    @Test
    void mixRangesAndDatesMatchMixedWorkloadType1() {
        final RequestGenerator g = gen("http://127.0.0.1:5000", 7);
        final int n = 400_000;
        final Map<String, Integer> ops = new HashMap<>();
        final Map<String, Integer> require = new HashMap<>();
        final int[] searchIn = new int[32];
        final int[] latDraws = new int[482];
        final int[] lonDraws = new int[326];
        final int[] stay = new int[8];
        int minUser = Integer.MAX_VALUE;
        int maxUser = -1;
        int minHotel = Integer.MAX_VALUE;
        int maxHotel = -1;
        int latLon = 0;
        for (int i = 0; i < n; i++) {
            final RequestSpec r = g.next();
            ops.merge(r.operation(), 1, Integer::sum);
            assertThat(r.headers()).isEmpty();
            assertThat(r.body()).isNull();
            final String q = r.pathAndQuery();
            switch (r.operation()) {
                case "search-hotel" -> {
                    assertThat(r.method()).isEqualTo("GET");
                    final Matcher m = SEARCH.matcher(q);
                    assertThat(m.matches()).as(q).isTrue();
                    final int in = Integer.parseInt(m.group(1));
                    final int out = Integer.parseInt(m.group(2));
                    assertThat(in).isBetween(9, 23);
                    assertThat(out).isBetween(in + 1, 24);
                    searchIn[in]++;
                    latDraws[latIndex(m.group(3))]++;
                    lonDraws[lonIndex(m.group(4))]++;
                    latLon++;
                }
                case "recommend" -> {
                    assertThat(r.method()).isEqualTo("GET");
                    final Matcher m = RECOMMEND.matcher(q);
                    assertThat(m.matches()).as(q).isTrue();
                    require.merge(m.group(1), 1, Integer::sum);
                    latDraws[latIndex(m.group(2))]++;
                    lonDraws[lonIndex(m.group(3))]++;
                    latLon++;
                }
                case "user-login" -> {
                    assertThat(r.method()).isEqualTo("POST");
                    final Matcher m = USER.matcher(q);
                    assertThat(m.matches()).as(q).isTrue();
                    final int id = Integer.parseInt(m.group(1));
                    assertThat(m.group(2)).isEqualTo(m.group(1).repeat(10));
                    minUser = Math.min(minUser, id);
                    maxUser = Math.max(maxUser, id);
                }
                case "reserve" -> {
                    assertThat(r.method()).isEqualTo("POST");
                    final Matcher m = RESERVE.matcher(q);
                    assertThat(m.matches()).as(q).isTrue();
                    final int in = Integer.parseInt(m.group(1));
                    final int out = Integer.parseInt(m.group(2));
                    assertThat(in).isBetween(9, 23);
                    assertThat(out - in).isBetween(1, 5);
                    stay[out - in]++;
                    final int hotel = Integer.parseInt(m.group(3));
                    minHotel = Math.min(minHotel, hotel);
                    maxHotel = Math.max(maxHotel, hotel);
                    assertThat(m.group(4)).isEqualTo(m.group(5));
                    assertThat(m.group(6)).isEqualTo(m.group(4).repeat(10));
                    final int id = Integer.parseInt(m.group(4));
                    minUser = Math.min(minUser, id);
                    maxUser = Math.max(maxUser, id);
                }
                default -> throw new AssertionError("unexpected operation " + r.operation());
            }
        }
        Distributions.assertShare("search-hotel", ops.get("search-hotel"), 0.60, n);
        Distributions.assertShare("recommend", ops.get("recommend"), 0.39, n);
        Distributions.assertShare("user-login", ops.get("user-login"), 0.005, n);
        Distributions.assertShare("reserve", ops.get("reserve"), 0.005, n);
        final int rec = ops.get("recommend");
        Distributions.assertShare("dis", require.get("dis"), 0.33, rec);
        Distributions.assertShare("rate", require.get("rate"), 0.33, rec);
        Distributions.assertShare("price", require.get("price"), 0.34, rec);
        // ~4000 login+reserve draws over 0..10000 reach both ends only by luck; the range is checked by the bounds.
        assertThat(minUser).isBetween(0, 30);
        assertThat(maxUser).isBetween(9970, 10_000);
        assertThat(minHotel).isBetween(1, 10);
        assertThat(maxHotel).isBetween(990, 1000);
        Distributions.assertUniform(searchIn, 9, 23, ops.get("search-hotel"));
        Distributions.assertUniform(stay, 1, 5, ops.get("reserve"));
        Distributions.assertUniform(latDraws, 0, 481, latLon);
        Distributions.assertUniform(lonDraws, 0, 325, latLon);
    }

    @Test
    void latAndLonPrintAsLuaTostringDoes() {
        assertThat(HotelReservationWorkloads.luaToString(38.0235 + (0 - 240.5) / 1000.0)).isEqualTo("37.783");
        assertThat(HotelReservationWorkloads.luaToString(38.0235 + (481 - 240.5) / 1000.0)).isEqualTo("38.264");
        assertThat(HotelReservationWorkloads.luaToString(-122.095 + (0 - 157.0) / 1000.0)).isEqualTo("-122.252");
        assertThat(HotelReservationWorkloads.luaToString(-122.095 + (325 - 157.0) / 1000.0)).isEqualTo("-121.927");
        assertThat(HotelReservationWorkloads.luaToString(-122.095 + (157 - 157.0) / 1000.0)).isEqualTo("-122.095");
    }

    @Test
    void pathsAreRelativeToTheFrontEndUrlAndEncodeLikeWrkFormat() {
        final RequestGenerator g = gen("http://127.0.0.1:5000/api/", 3);
        boolean sawPost = false;
        for (int i = 0; i < 2000; i++) {
            final RequestSpec r = g.next();
            assertThat(r.pathAndQuery()).startsWith("/api/").doesNotStartWith("/api//");
            final String wire = new String(r.encode("http://127.0.0.1:5000", "127.0.0.1:5000"), StandardCharsets.UTF_8);
            assertThat(wire).startsWith(r.method() + " http://127.0.0.1:5000" + r.pathAndQuery() + " HTTP/1.1\r\n")
                .endsWith("Host: 127.0.0.1:5000\r\n\r\n").doesNotContain("Content-Length");
            sawPost |= r.method().equals("POST");
        }
        assertThat(sawPost).isTrue();
        assertThat(gen("http://127.0.0.1:5000", 3).next().pathAndQuery()).startsWith("/");
    }

    private static int latIndex(final String s) {
        final double v = Double.parseDouble(s);
        final int i = (int) Math.round((v - 38.0235) * 1000 + 240.5);
        assertThat(i).isBetween(0, 481);
        assertThat(HotelReservationWorkloads.luaToString(38.0235 + (i - 240.5) / 1000.0)).isEqualTo(s);
        return i;
    }

    private static int lonIndex(final String s) {
        final double v = Double.parseDouble(s);
        final int i = (int) Math.round((v + 122.095) * 1000 + 157);
        assertThat(i).isBetween(0, 325);
        assertThat(HotelReservationWorkloads.luaToString(-122.095 + (i - 157.0) / 1000.0)).isEqualTo(s);
        return i;
    }
}
