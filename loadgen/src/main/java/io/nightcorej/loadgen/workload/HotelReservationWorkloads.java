package io.nightcorej.loadgen.workload;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * The HotelReservation mixed workload: {@code mixed-workload_type_1.lua} as Nightcore ran it (deathstarbench.md §3.7),
 * ported draw for draw, against the <em>upstream</em> front-end paths ({@code /hotels}, {@code /recommendations},
 * {@code /user}, {@code /reservation}) relative to the URL given with {@code --url}.
 *
 * <pre>
 *   coin = random()                          0.60 search | 0.39 recommend | 0.005 user login | 0.005 reserve
 *   search     GET  /hotels?inDate=2015-04-DD&amp;outDate=2015-04-DD&amp;lat=..&amp;lon=..
 *              in = random(9,23), out = random(in+1,24), then lat, lon
 *   recommend  GET  /recommendations?require=dis|rate|price&amp;lat=..&amp;lon=..
 *              c = random(): &lt; 0.33 dis, &lt; 0.66 rate, else price; then lat, lon
 *   user       POST /user?username=Cornell_ID&amp;password=ID×10                     (no body)
 *              id = random(0,10000)
 *   reserve    POST /reservation?inDate=..&amp;outDate=..&amp;lat=nil&amp;lon=nil&amp;hotelId=H&amp;customerName=Cornell_ID
 *                   &amp;username=Cornell_ID&amp;password=ID×10&amp;number=1                 (no body)
 *              in = random(9,23), out = in + random(1,5), H = random(1,1000), then id = random(0,10000)
 *   lat = 38.0235 + (random(0,481) − 240.5)/1000     lon = −122.095 + (random(0,325) − 157)/1000
 * </pre>
 * What is kept from the script: the draw order; dates zero-padded; {@code lat}/{@code lon} printed as Lua's
 * {@code tostring} prints a number ({@code %.14g}, so {@code 37.783}, not {@code 37.78300000000001}); the literal
 * {@code lat=nil&lon=nil} of the reservation (undefined Lua globals); no headers and no body on any request
 * ({@code wrk.format(method, path, {}, nil)}: the POSTs carry no Content-Length, which HTTP/1.1 reads as an empty
 * body). Ranges are Nightcore's (users 0..10000, hotels 1..1000; upstream used 0..500 and 1..80).
 */
public final class HotelReservationWorkloads {
    /** CLI name. */
    public static final String MIXED = "hotelreservation-mixed";

    /** Operation labels. */
    public static final String SEARCH = "search-hotel";
    /** Operation label. */
    public static final String RECOMMEND = "recommend";
    /** Operation label. */
    public static final String USER = "user-login";
    /** Operation label. */
    public static final String RESERVE = "reserve";

    /** Ratios of mixed-workload_type_1.lua. */
    public static final double SEARCH_RATIO = 0.6;
    /** Ratio. */
    public static final double RECOMMEND_RATIO = 0.39;
    /** Ratio. */
    public static final double USER_RATIO = 0.005;

    /** NC's user id range (upstream 0..500). */
    public static final int MAX_USER_ID = 10_000;
    /** NC's hotel id range (upstream 1..80). */
    public static final int MAX_HOTEL_ID = 1000;

    private static final int LAT_DRAWS = 482;
    private static final int LON_DRAWS = 326;
    /** Lua's tostring of every lat/lon the script can produce, computed once (BigDecimal per request would cost µs). */
    private static final String[] LAT = new String[LAT_DRAWS];
    private static final String[] LON = new String[LON_DRAWS];

    static {
        for (int i = 0; i < LAT_DRAWS; i++) {
            LAT[i] = luaToString(38.0235 + (i - 240.5) / 1000.0);
        }
        for (int i = 0; i < LON_DRAWS; i++) {
            LON[i] = luaToString(-122.095 + (i - 157.0) / 1000.0);
        }
    }

    private HotelReservationWorkloads() {
    }

    /**
     * @return the HotelReservation workloads.
     */
    public static List<Workload> all() {
        return List.of(Workload.of(MIXED,
            "NC mixed-workload_type_1.lua: 60/39/0.5/0.5 search/recommend/login/reserve, upstream paths",
            options -> new Mixed(new LuaRandom(options.seed()), options.pathPrefix())));
    }

    /**
     * Lua 5.1's {@code tostring(number)}: {@code printf("%.14g")}, i.e. 14 significant digits, trailing zeros dropped.
     *
     * @param v a number in the script's lat/lon ranges (plain notation; no exponent form is needed there).
     * @return the text Lua would print.
     */
    static String luaToString(final double v) {
        final BigDecimal d = new BigDecimal(v).round(new MathContext(14, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return d.toPlainString();
    }

    /** The script's {@code request()}, one instance per run (not thread-safe, like every generator). */
    private static final class Mixed implements RequestGenerator {
        private final LuaRandom random;
        private final String prefix;

        Mixed(final LuaRandom random, final String prefix) {
            this.random = random;
            this.prefix = prefix;
        }

        @Override
        public RequestSpec next() {
            final double coin = random.random();
            if (coin < SEARCH_RATIO) {
                return search();
            } else if (coin < SEARCH_RATIO + RECOMMEND_RATIO) {
                return recommend();
            } else if (coin < SEARCH_RATIO + RECOMMEND_RATIO + USER_RATIO) {
                return userLogin();
            }
            return reserve();
        }

        private RequestSpec search() {
            final int in = random.random(9, 23);
            final int out = random.random(in + 1, 24);
            final StringBuilder sb = new StringBuilder(96).append(prefix).append("/hotels?inDate=");
            date(sb, in).append("&outDate=");
            date(sb, out);
            latLon(sb);
            return new RequestSpec(SEARCH, "GET", sb.toString(), List.of(), null);
        }

        private RequestSpec recommend() {
            final double c = random.random();
            final String require = c < 0.33 ? "dis" : c < 0.66 ? "rate" : "price";
            final StringBuilder sb = new StringBuilder(96).append(prefix).append("/recommendations?require=").append(require);
            latLon(sb);
            return new RequestSpec(RECOMMEND, "GET", sb.toString(), List.of(), null);
        }

        private RequestSpec userLogin() {
            final int id = random.random(0, MAX_USER_ID);
            final StringBuilder sb = new StringBuilder(96).append(prefix).append("/user?username=Cornell_").append(id)
                .append("&password=");
            password(sb, id);
            return new RequestSpec(USER, "POST", sb.toString(), List.of(), null);
        }

        private RequestSpec reserve() {
            final int in = random.random(9, 23);
            final int out = in + random.random(1, 5);
            final int hotelId = random.random(1, MAX_HOTEL_ID);
            final int id = random.random(0, MAX_USER_ID);
            final StringBuilder sb = new StringBuilder(192).append(prefix).append("/reservation?inDate=");
            date(sb, in).append("&outDate=");
            date(sb, out).append("&lat=nil&lon=nil&hotelId=").append(hotelId)
                .append("&customerName=Cornell_").append(id)
                .append("&username=Cornell_").append(id)
                .append("&password=");
            password(sb, id).append("&number=1");
            return new RequestSpec(RESERVE, "POST", sb.toString(), List.of(), null);
        }

        private void latLon(final StringBuilder sb) {
            final String lat = LAT[random.random(0, LAT_DRAWS - 1)];
            final String lon = LON[random.random(0, LON_DRAWS - 1)];
            sb.append("&lat=").append(lat).append("&lon=").append(lon);
        }

        private static StringBuilder date(final StringBuilder sb, final int day) {
            sb.append("2015-04-");
            if (day <= 9) {
                sb.append('0');
            }
            return sb.append(day);
        }

        /** The script's password: the id's digits repeated 10 times ({@code for i = 0, 9}). */
        private static StringBuilder password(final StringBuilder sb, final int id) {
            for (int i = 0; i < 10; i++) {
                sb.append(id);
            }
            return sb;
        }
    }
}
