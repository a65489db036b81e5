package io.nightcorej.hotelreservation.data;

import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * The data set every service generates for itself, exactly as NC's {@code cmd/<service>/db.go} do (deathstarbench.md
 * §3.5): six real San Francisco hotels, then hotels 7..N on a diagonal line north-east of them, rate plans for hotels
 * 1-3 and every third hotel, recommendation rates and prices, room capacities, one seed reservation and the users
 * {@code Cornell_0..Cornell_U} with NC's plain-text passwords.
 *
 * <p>Every document carries a deterministic {@code _id}, so generating and upserting it again (another worker of the
 * same service starting at the same time, a restart) never duplicates anything ({@link Seeder}).
 */
public final class HotelData {

    /** NC's hotel count (upstream: 80). */
    public static final int NC_HOTELS = 1000;
    /** NC's highest user number: users are Cornell_0..Cornell_10000 (upstream: 500). */
    public static final int NC_MAX_USER = 10_000;

    static final String ST_REGIS_DESCRIPTION = "St. Regis Museum Tower is a 42-story, 484 ft skyscraper in the South of "
            + "Market district of San Francisco, California, adjacent to Yerba Buena Gardens, Moscone Center, PacBell "
            + "Building and the San Francisco Museum of Modern Art.";

    /** Hotels 1-6: id, name, phone, description, street number, street name, postal code, lat, lon. */
    private static final String[][] FIRST_SIX = {
        {"1", "Clift Hotel", "(415) 775-4700", "A 6-minute walk from Union Square and 4 minutes from a Muni Metro "
            + "station, this luxury hotel designed by Philippe Starck features an artsy furniture collection in the "
            + "lobby, including work by Salvador Dali.", "495", "Geary St", "94102", "37.7867", "-122.4112"},
        {"2", "W San Francisco", "(415) 777-5300", "Less than a block from the Yerba Buena Center for the Arts, this "
            + "trendy hotel is a 12-minute walk from Union Square.", "181", "3rd St", "94103", "37.7854", "-122.4005"},
        {"3", "Hotel Zetta", "(415) 543-8555", "A 3-minute walk from the Powell Street cable-car turnaround and BART "
            + "rail station, this hip hotel 9 minutes from Union Square combines high-tech lodging with artsy "
            + "touches.", "55", "5th St", "94103", "37.7834", "-122.4071"},
        {"4", "Hotel Vitale", "(415) 278-3700", "This waterfront hotel with Bay Bridge views is 3 blocks from the "
            + "Financial District and a 4-minute walk from the Ferry Building.", "8", "Mission St", "94105", "37.7936",
            "-122.3930"},
        {"5", "Phoenix Hotel", "(415) 776-1380", "Located in the Tenderloin neighborhood, a 10-minute walk from a BART "
            + "rail station, this retro motor lodge has hosted many rock musicians and other celebrities since the "
            + "1950s. It\u2019s a 4-minute walk from the historic Great American Music Hall nightclub.", "601",
            "Eddy St", "94109", "37.7831", "-122.4181"},
        {"6", "St. Regis San Francisco", "(415) 284-4000", ST_REGIS_DESCRIPTION, "125", "3rd St", "94109", "37.7863",
            "-122.4015"},
    };

    /** Recommendation (rate, price) of hotels 1-6. */
    private static final double[][] FIRST_SIX_RECOMMENDATION = {{109, 150}, {139, 120}, {109, 190}, {129, 160},
        {119, 140}, {149, 200}};

    /** Rate plans and recommendations of hotels i >= 7 with i % 3 == 0: (rate, inclusive rate) by i % 5. */
    private static final double[][] RATE_BY_MOD5 = {{109, 123.17}, {120, 140}, {124, 144}, {132, 158}, {232, 258}};

    private HotelData() {
    }

    /** geo-db.geo: {hotelId, lat, lon}, float64; NC's geo data puts hotel 3 at 37.7854 (its profile says 37.7834). */
    public static List<Document> geo(final int hotels) {
        final List<Document> docs = new ArrayList<>(hotels);
        for (int i = 1; i <= hotels; i++) {
            final double lat = i == 3 ? 37.7854 : lat64(i);
            docs.add(new Document("_id", id(i)).append("hotelId", id(i)).append("lat", lat).append("lon", lon64(i)));
        }
        return docs;
    }

    /** profile-db.hotels: {id, name, phoneNumber, description, address{..., lat, lon}}, lat/lon float32 as NC. */
    public static List<Document> profiles(final int hotels) {
        final List<Document> docs = new ArrayList<>(hotels);
        for (int i = 1; i <= hotels; i++) {
            final String id = id(i);
            final Document address;
            final Document hotel;
            if (i <= 6) {
                final String[] h = FIRST_SIX[i - 1];
                address = address(h[4], h[5], h[6], Float.parseFloat(h[7]), Float.parseFloat(h[8]));
                hotel = new Document("_id", id).append("id", id).append("name", h[1]).append("phoneNumber", h[2])
                        .append("description", h[3]);
            } else {
                // NC computes these in float32: 37.7835 + float32(i)/500.0*3
                final float lat = 37.7835f + (float) i / 500.0f * 3;
                final float lon = -122.41f + (float) i / 500.0f * 4;
                address = address("125", "3rd St", "94109", lat, lon);
                hotel = new Document("_id", id).append("id", id).append("name", "St. Regis San Francisco")
                        .append("phoneNumber", "(415) 284-40" + id).append("description", ST_REGIS_DESCRIPTION);
            }
            docs.add(hotel.append("address", address));
        }
        return docs;
    }

    private static Document address(final String number, final String street, final String postal, final float lat,
            final float lon) {
        // stored as the double value of the float, so a reader rounding back to float gets NC's float32 exactly
        return new Document("streetNumber", number).append("streetName", street).append("city", "San Francisco")
                .append("state", "CA").append("country", "United States").append("postalCode", postal)
                .append("lat", (double) lat).append("lon", (double) lon);
    }

    /** rate-db.inventory: one plan each for hotels 1, 2, 3 and every i >= 7 with i % 3 == 0 (334 plans for N = 1000). */
    public static List<Document> ratePlans(final int hotels) {
        final List<Document> docs = new ArrayList<>();
        docs.add(ratePlan("1", "2015-04-10", 109, "KNG", "King sized bed", 123.17));
        if (hotels >= 2) {
            docs.add(ratePlan("2", "2015-04-10", 139, "QN", "Queen sized bed", 153.09));
        }
        if (hotels >= 3) {
            docs.add(ratePlan("3", "2015-04-10", 109, "KNG", "King sized bed", 123.17));
        }
        for (int i = 7; i <= hotels; i++) {
            if (i % 3 == 0) {
                final double[] r = RATE_BY_MOD5[i % 5];
                docs.add(ratePlan(id(i), i % 2 == 0 ? "2015-04-17" : "2015-04-24", r[0], "KNG", "King sized bed", r[1]));
            }
        }
        return docs;
    }

    private static Document ratePlan(final String hotelId, final String outDate, final double rate, final String roomCode,
            final String description, final double inclusive) {
        return new Document("_id", hotelId + ":RACK").append("hotelId", hotelId).append("code", "RACK")
                .append("inDate", "2015-04-09").append("outDate", outDate)
                .append("roomType", new Document("bookableRate", rate).append("code", roomCode)
                        .append("roomDescription", description).append("totalRate", rate)
                        .append("totalRateInclusive", inclusive));
    }

    /** recommendation-db.recommendation: {hotelId, lat, lon, rate, price}. */
    public static List<Document> recommendations(final int hotels) {
        final List<Document> docs = new ArrayList<>(hotels);
        for (int i = 1; i <= hotels; i++) {
            final double rate;
            final double price;
            if (i <= 6) {
                rate = FIRST_SIX_RECOMMENDATION[i - 1][0];
                price = FIRST_SIX_RECOMMENDATION[i - 1][1];
            } else if (i % 3 == 0) {
                rate = RATE_BY_MOD5[i % 5][0];
                price = RATE_BY_MOD5[i % 5][1];
            } else {
                rate = 135;
                price = 179;
            }
            docs.add(new Document("_id", id(i)).append("hotelId", id(i)).append("lat", lat64(i)).append("lon", lon64(i))
                    .append("rate", rate).append("price", price));
        }
        return docs;
    }

    /** reservation-db.number: {hotelId, numberOfRoom}: 200 for hotels 1-6, then 300 / 250 / 200 by i % 3 = 1 / 2 / 0. */
    public static List<Document> capacities(final int hotels) {
        final List<Document> docs = new ArrayList<>(hotels);
        for (int i = 1; i <= hotels; i++) {
            final int rooms = i <= 6 ? 200 : switch (i % 3) {
                case 1 -> 300;
                case 2 -> 250;
                default -> 200;
            };
            docs.add(new Document("_id", id(i)).append("hotelId", id(i)).append("numberOfRoom", rooms));
        }
        return docs;
    }

    /** reservation-db.reservation: NC's one seed reservation (Alice, hotel 4, the night of 2015-04-09). */
    public static List<Document> seedReservations() {
        return List.of(new Document("_id", "seed:4:Alice:2015-04-09").append("hotelId", "4").append("customerName", "Alice")
                .append("inDate", "2015-04-09").append("outDate", "2015-04-10").append("number", 1));
    }

    /** user-db.user: Cornell_0..Cornell_maxUser, password = str(i) repeated 10 times, stored in plain text as NC. */
    public static List<Document> users(final int maxUser) {
        final List<Document> docs = new ArrayList<>(maxUser + 1);
        for (int i = 0; i <= maxUser; i++) {
            final String username = "Cornell_" + i;
            docs.add(new Document("_id", username).append("username", username).append("password", password(i)));
        }
        return docs;
    }

    /** @return NC's password of user {@code Cornell_i}: the decimal {@code i} repeated 10 times. */
    public static String password(final int i) {
        return Integer.toString(i).repeat(10);
    }

    private static String id(final int i) {
        if (i <= 6) {
            return FIRST_SIX[i - 1][0];
        }
        return Integer.toString(i);
    }

    private static double lat64(final int i) {
        return i <= 6 ? Double.parseDouble(FIRST_SIX[i - 1][7]) : 37.7835 + i / 500.0 * 3;
    }

    private static double lon64(final int i) {
        return i <= 6 ? Double.parseDouble(FIRST_SIX[i - 1][8]) : -122.41 + i / 500.0 * 4;
    }
}
