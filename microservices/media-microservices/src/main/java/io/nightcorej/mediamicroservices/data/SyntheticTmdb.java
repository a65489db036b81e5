package io.nightcorej.mediamicroservices.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic stand-in for DSB's TMDB data set ({@code datasets/tmdb/movies.json}, {@code casts.json}), which is not
 * available offline here. Same shape, synthetic content (deathstarbench.md §2.8):
 * <ul>
 *   <li>1000 movies in a fixed order with TMDB-like fields: id, title, overview (plot), poster path, vote average and
 *       count, and a cast of 1..10 people ({@code cast_id}, {@code character}, person id);</li>
 *   <li>titles: 1000 entries, 995 distinct; entries 199, 399, 599, 799, 999 repeat entries 99, 299, 499, 699, 899, as
 *       the real list has five titles twice ("Aladdin", "Hellboy", ...). Titles contain what NC's raw request bodies
 *       carry: spaces, apostrophes, colons, {@code &} and UTF-8 ({@code é}); never {@code +} or {@code %} (the form
 *       parser would decode those);</li>
 *   <li>the people of those casts (ids from 1,000,000; TMDB gender 0/1/2; a biography), each once, as
 *       {@code casts.json} is deduplicated by id.</li>
 * </ul>
 * {@link #title(int)} is also implemented, letter for letter, in loadgen's {@code MovieReviewWorkloads} (loadgen cannot
 * depend on this module); both modules' tests pin the same SHA-256 of the 1000 titles ({@link #TITLES_SHA256}).
 */
public final class SyntheticTmdb {

    /** The number of movies, as in movies.json. */
    public static final int MOVIES = 1000;
    /** SHA-256 (hex) of the 1000 titles joined with {@code "\n"} (UTF-8): the loadgen test pins the same value. */
    public static final String TITLES_SHA256 = "e6c6444797017695f5a5d1e9c518f97eca680cbf1602fc0516c2f975ea669bbe";

    private static final int PEOPLE = 3000;
    private static final long FIRST_PERSON_ID = 1_000_000L;

    private static final String[] ADJECTIVES = {"Silent", "Crimson", "Lost", "Golden", "Broken", "Hidden", "Electric",
        "Frozen", "Savage", "Midnight", "Wild", "Iron", "Last", "Burning", "Sweet", "Dark", "Little", "Eternal", "Secret",
        "Velvet"};
    private static final String[] NOUNS = {"River", "Empire", "Garden", "Signal", "Harbor", "Kingdom", "Mirror", "Voyage",
        "Promise", "Shadow", "Station", "Letter", "Island", "Machine", "Forest", "Summer", "Witness", "Bridge", "Circus",
        "Orchard", "Frontier", "Lantern", "Desert", "Engine", "Festival", "Horizon", "Legacy", "Meadow", "Monster",
        "Ocean", "Palace", "Planet", "Prophecy", "Rebel", "Requiem", "Saint", "Season", "Soldier", "Storm", "Stranger",
        "Tempest", "Tower", "Train", "Treasure", "Valley", "Village", "Warrior", "Window", "Winter", "Wolf"};
    private static final String[] FIRST_NAMES = {"Ada", "Bruno", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiro",
        "Inés", "Jonas", "Kemi", "Liam", "Maya", "Nikolai", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara"};
    private static final String[] LAST_NAMES = {"Abbott", "Barros", "Chen", "Dubois", "Eriksen", "Fischer", "García",
        "Hughes", "Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "O'Brien", "Petrov", "Quintero",
        "Rossi", "Silva", "Tanaka"};
    private static final String[] WORDS = {"a", "young", "family", "discovers", "that", "the", "old", "city", "hides",
        "secret", "war", "between", "two", "friends", "who", "must", "cross", "dangerous", "country", "before", "winter",
        "ends", "and", "their", "past", "returns", "to", "haunt", "them", "while", "stranger", "arrives", "with", "map",
        "of", "forgotten", "kingdom", "in", "search", "for", "truth", "love", "revenge", "home"};

    /** One cast entry of a movie (TMDB {@code cast[]}). */
    public record CastEntry(int castId, String character, long personId) {
    }

    /** One movie (TMDB movie object, the fields write_movie_info.py reads). */
    public record Movie(long id, String title, String overview, String posterPath, double voteAverage, int voteCount,
            List<CastEntry> cast) {
    }

    /** One person (TMDB person object, the fields write_movie_info.py reads; gender 2 = male). */
    public record Person(long id, String name, int gender, String biography) {
    }

    private SyntheticTmdb() {
    }

    /**
     * The title of movie {@code index} (0-based, file order). Loadgen's {@code MovieReviewWorkloads} has the same
     * function; keep the two identical.
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

    /** @return all 1000 titles in file order. */
    public static List<String> titles() {
        final List<String> titles = new ArrayList<>(MOVIES);
        for (int i = 0; i < MOVIES; i++) {
            titles.add(title(i));
        }
        return titles;
    }

    /** @return the TMDB-style id of movie {@code index} (also its movie_id string and plot_id, as DSB's loader). */
    public static long movieId(final int index) {
        return 10_000L + index * 97L;
    }

    /** @return movie {@code index}. */
    public static Movie movie(final int index) {
        final SplittableRandom random = new SplittableRandom(0x5EED_0000L + index);
        final int castSize = 1 + (index * 7) % 10;
        final List<CastEntry> cast = new ArrayList<>(castSize);
        for (int k = 0; k < castSize; k++) {
            final int person = (index * 31 + k * 557) % PEOPLE;
            cast.add(new CastEntry(k + 1, "Character " + (k + 1), FIRST_PERSON_ID + person));
        }
        final long id = movieId(index);
        return new Movie(id, title(index), sentence(random, 40 + random.nextInt(30)), "/poster" + id + ".jpg",
                1.0 + (index * 37 % 90) / 10.0, 50 + (index * 131) % 5000, cast);
    }

    /** @return every person appearing in the casts of the first {@code movies} movies, each once, by first appearance. */
    public static List<Person> people(final int movies) {
        final Map<Long, Person> people = new LinkedHashMap<>();
        for (int i = 0; i < movies; i++) {
            for (final CastEntry c : movie(i).cast()) {
                people.computeIfAbsent(c.personId(), SyntheticTmdb::person);
            }
        }
        return new ArrayList<>(people.values());
    }

    /** @return the person with the given id. */
    public static Person person(final long id) {
        final int j = (int) (id - FIRST_PERSON_ID);
        final SplittableRandom random = new SplittableRandom(0xCA57_0000L + j);
        final String name = FIRST_NAMES[j % 20] + " " + LAST_NAMES[(j / 20) % 20];
        return new Person(id, name, j % 3, name + " is an actor; " + sentence(random, 20 + random.nextInt(40)));
    }

    private static String sentence(final SplittableRandom random, final int words) {
        final StringBuilder sb = new StringBuilder(words * 7);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                sb.append(' ');
            }
            final String word = WORDS[random.nextInt(WORDS.length)];
            sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
        }
        return sb.append('.').toString();
    }
}
