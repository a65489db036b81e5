package io.nightcorej.loadgen.workload;

import java.util.List;

/**
 * MediaMicroservices' {@code compose-review.lua} as Nightcore ran it (deathstarbench.md §2.7): 100 % compose-review,
 * {@code POST <url path>/wrk2-api/review/compose} with a form body, draw for draw:
 *
 * <pre>
 *   movie_index = random(1, 1000)      title = movie_titles[movie_index]
 *   user_index  = random(1, 1000)      username_&lt;i&gt;, password_&lt;i&gt;
 *   rating      = random(0, 10)
 *   text        = 256 characters of the scripts' 62-character charset
 *   body: username=username_I&amp;password=password_I&amp;title=TITLE&amp;rating=R&amp;text=TEXT
 * </pre>
 * As in NC's copy of the script the title goes into the body raw (spaces, apostrophes, colons, UTF-8 unencoded);
 * only {@code &} is pre-written as {@code %26}, as NC's title table has it. Upstream instead URL-encodes the title.
 *
 * <p>The titles are not TMDB's (that data set is not available offline): {@link #title(int)} is the synthetic
 * generator of the media-microservices module ({@code io.nightcorej.mediamicroservices.data.SyntheticTmdb.title}),
 * restated here because loadgen does not depend on workload modules. Both modules' tests pin the SHA-256 of the 1000
 * titles ({@link #TITLES_SHA256}), so a change to one without the other fails a build. 1000 entries, 995 distinct
 * (entries 199, 399, 599, 799, 999 repeat 99, 299, ...: the real list has five titles twice).
 */
public final class MovieReviewWorkloads {
    /** CLI name. */
    public static final String COMPOSE = "moviereview-compose";
    /** Operation label. */
    public static final String COMPOSE_REVIEW = "compose-review";
    /** Path, relative to the URL's path. */
    public static final String COMPOSE_PATH = "/wrk2-api/review/compose";
    /** Movies in the title table, users registered by the loader. */
    public static final int MOVIES = 1000;
    /** Users {@code username_1..username_1000}. */
    public static final int USERS = 1000;
    /** SHA-256 (hex) of the 1000 titles joined with "\n" (UTF-8), pinned in both modules' tests. */
    public static final String TITLES_SHA256 = "e6c6444797017695f5a5d1e9c518f97eca680cbf1602fc0516c2f975ea669bbe";

    private static final String[] ADJECTIVES = {"Silent", "Crimson", "Lost", "Golden", "Broken", "Hidden", "Electric",
        "Frozen", "Savage", "Midnight", "Wild", "Iron", "Last", "Burning", "Sweet", "Dark", "Little", "Eternal", "Secret",
        "Velvet"};
    private static final String[] NOUNS = {"River", "Empire", "Garden", "Signal", "Harbor", "Kingdom", "Mirror", "Voyage",
        "Promise", "Shadow", "Station", "Letter", "Island", "Machine", "Forest", "Summer", "Witness", "Bridge", "Circus",
        "Orchard", "Frontier", "Lantern", "Desert", "Engine", "Festival", "Horizon", "Legacy", "Meadow", "Monster",
        "Ocean", "Palace", "Planet", "Prophecy", "Rebel", "Requiem", "Saint", "Season", "Soldier", "Storm", "Stranger",
        "Tempest", "Tower", "Train", "Treasure", "Valley", "Village", "Warrior", "Window", "Winter", "Wolf"};

    /** The title table as the script holds it: raw, with {@code &} as {@code %26}. */
    private static final String[] BODY_TITLES = new String[MOVIES];

    static {
        for (int i = 0; i < MOVIES; i++) {
            BODY_TITLES[i] = title(i).replace("&", "%26");
        }
    }

    private MovieReviewWorkloads() {
    }

    /**
     * @return the MovieReview workloads.
     */
    public static List<Workload> all() {
        return List.of(Workload.of(COMPOSE,
            "NC compose-review.lua: 100% compose-review, users 1..1000, rating 0..10, raw titles (synthetic)",
            options -> {
                final LuaRandom random = new LuaRandom(options.seed());
                final String path = options.pathPrefix() + COMPOSE_PATH;
                final List<String[]> headers = List.<String[]>of(new String[] {"Content-Type", RequestSpec.FORM});
                return () -> {
                    final int movieIndex = random.random(1, MOVIES);
                    final int userIndex = random.random(1, USERS);
                    final int rating = random.random(0, 10);
                    final StringBuilder body = new StringBuilder(400)
                        .append("username=username_").append(userIndex)
                        .append("&password=password_").append(userIndex)
                        .append("&title=").append(BODY_TITLES[movieIndex - 1])
                        .append("&rating=").append(rating)
                        .append("&text=");
                    random.appendStringRandom(body, 256);
                    return new RequestSpec(COMPOSE_REVIEW, "POST", path, headers, body.toString());
                };
            }));
    }

    /**
     * The synthetic title of movie {@code index} (0-based), identical to media-microservices' {@code SyntheticTmdb.title}.
     *
     * @param index 0..999.
     * @return the title, unencoded.
     */
    public static String title(final int index) {
        if (index % 200 == 199) {
            return title(index - 100);
        }
        final String base = ADJECTIVES[index % 20] + " " + NOUNS[(index / 20) % 50];
        switch (index % 10) {
            case 1:
                return "The " + base;
            case 2:
                return base + ": Part II";
            case 3:
                return base + " & Friends";
            case 4:
                return base + "'s Secret";
            case 5:
                return "Café " + base;
            case 6:
                return base + " 2";
            case 7:
                return "A " + base;
            case 8:
                return base + " (Director's Cut)";
            default:
                return base;
        }
    }
}
