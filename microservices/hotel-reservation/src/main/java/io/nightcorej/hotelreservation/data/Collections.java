package io.nightcorej.hotelreservation.data;

/**
 * Document collections and cache key prefixes. NC keeps each service's data in its own MongoDB database
 * ({@code geo-db.geo}, {@code rate-db.inventory}...) and uses bare hotel ids as memcached keys in three separate
 * memcached instances; here all services may share one document store and one cache, so collections carry a
 * {@code hotel-} prefix (no clash with SocialNetwork's {@code user}) and cache keys a per-service prefix (rate and
 * profile would otherwise both use the bare hotel id, deathstarbench.md §5.5).
 */
public final class Collections {

    public static final String GEO = "hotel-geo";
    public static final String INVENTORY = "hotel-inventory";
    public static final String PROFILES = "hotel-profile";
    public static final String RECOMMENDATIONS = "hotel-recommendation";
    public static final String RESERVATIONS = "hotel-reservation";
    public static final String CAPACITIES = "hotel-number";
    public static final String USERS = "hotel-user";
    /** One marker document per seeded collection, written after its data ({@link Seeder}). */
    public static final String SEEDED = "hotel-seeded";

    /** Rate's cache: {@code rate:<hotelId>} → newline-separated JSON rate plans. */
    public static final String RATE_KEY_PREFIX = "rate:";
    /** Profile's cache: {@code profile:<hotelId>} → JSON hotel. */
    public static final String PROFILE_KEY_PREFIX = "profile:";
    /** Reservation's cache: {@code reserve:<hotelId>_<date>_<date>} → reserved rooms, {@code reserve:<hotelId>_cap}. */
    public static final String RESERVE_KEY_PREFIX = "reserve:";

    private Collections() {
    }
}
