package io.nightcorej.mediamicroservices.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Collection names and cache/sorted-set keys. NC runs one MongoDB with a database per service, 7 memcached and 3 redis
 * instances; here one store of each kind may serve every service (and other workloads), so collections carry a
 * {@code media-} prefix (SocialNetwork has a {@code user} collection too) and keys a per-service prefix: DSB's bare key
 * spaces collide once caches are shared (plot_id == movie_id, review/cast ids are all decimal; deathstarbench.md §2.4,
 * §5.5).
 */
public final class Keys {

    public static final String MOVIE_ID_COLLECTION = "media-movie-id";
    public static final String USER_COLLECTION = "media-user";
    public static final String REVIEW_COLLECTION = "media-review";
    public static final String USER_REVIEW_COLLECTION = "media-user-review";
    public static final String MOVIE_REVIEW_COLLECTION = "media-movie-review";
    public static final String CAST_INFO_COLLECTION = "media-cast-info";
    public static final String PLOT_COLLECTION = "media-plot";
    public static final String MOVIE_INFO_COLLECTION = "media-movie-info";

    /** memcached's longest key. */
    static final int MAX_KEY_BYTES = 250;

    private Keys() {
    }

    /**
     * MovieId's cache key. NC keys by {@code base64(title)} because libmc speaks the text protocol, which forbids spaces
     * in keys; a title whose key would pass memcached's 250-byte limit is keyed by its SHA-256 instead.
     */
    public static String movieId(final String title) {
        final byte[] utf8 = title.getBytes(StandardCharsets.UTF_8);
        final String key = "movie-id:" + Base64.getEncoder().encodeToString(utf8);
        return key.length() <= MAX_KEY_BYTES ? key : "movie-id:sha256:" + sha256Hex(utf8);
    }

    /** UserService's cache keys: {@code <username>:user_id|password|salt} in NC. */
    public static String user(final String username, final String field) {
        return "user:" + username + ":" + field;
    }

    /** ComposeReview's join keys: {@code <req_id>:counter|review_id|...} in NC. */
    public static String compose(final long reqId, final String field) {
        return "compose-review:" + reqId + ":" + field;
    }

    /** ReviewStorage's cache key (NC: decimal review_id). */
    public static String review(final long reviewId) {
        return "review:" + reviewId;
    }

    /** UserReview's sorted set (NC: decimal user_id). */
    public static String userReviews(final long userId) {
        return "user-review:" + userId;
    }

    /** MovieReview's sorted set (NC: movie_id, mangled by its {@code %PRId64} bug; keyed by the string here). */
    public static String movieReviews(final String movieId) {
        return "movie-review:" + movieId;
    }

    /** RatingService's pending ratings of a movie (see {@code RatingHandler}). */
    public static String uncommittedRatings(final String movieId) {
        return "rating:" + movieId + ":uncommitted";
    }

    /** CastInfo's cache key (NC: decimal id). */
    public static String castInfo(final long castInfoId) {
        return "cast-info:" + castInfoId;
    }

    /** Plot's cache key (NC: decimal plot_id). */
    public static String plot(final long plotId) {
        return "plot:" + plotId;
    }

    /** MovieInfo's cache key (NC: movie_id). */
    public static String movieInfo(final String movieId) {
        return "movie-info:" + movieId;
    }

    static String sha256Hex(final byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
