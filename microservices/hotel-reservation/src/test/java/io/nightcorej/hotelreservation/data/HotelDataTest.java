package io.nightcorej.hotelreservation.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** NC's generated data set (deathstarbench.md §3.5), as the services write it at start. */
class HotelDataTest {

    @Test
    void ncScaleHasAThousandHotelsAndTenThousandAndOneUsers() {
        assertThat(HotelData.geo(HotelData.NC_HOTELS)).hasSize(1000);
        assertThat(HotelData.profiles(HotelData.NC_HOTELS)).hasSize(1000);
        assertThat(HotelData.recommendations(HotelData.NC_HOTELS)).hasSize(1000);
        assertThat(HotelData.capacities(HotelData.NC_HOTELS)).hasSize(1000);
        assertThat(HotelData.ratePlans(HotelData.NC_HOTELS)).hasSize(334);
        final List<Document> users = HotelData.users(HotelData.NC_MAX_USER);
        assertThat(users).hasSize(10_001);
        assertThat(users.get(0).getString("username")).isEqualTo("Cornell_0");
        assertThat(users.get(10_000)).containsEntry("username", "Cornell_10000")
                .containsEntry("password", "10000".repeat(10));
        assertThat(HotelData.password(7)).isEqualTo("7777777777");
    }

    @Test
    void idsAreUniqueAndDeterministic() {
        for (final List<Document> docs : List.of(HotelData.geo(1000), HotelData.profiles(1000), HotelData.ratePlans(1000),
                HotelData.recommendations(1000), HotelData.capacities(1000), HotelData.users(10_000))) {
            assertThat(docs.stream().map(d -> d.get("_id")).collect(Collectors.toSet())).hasSize(docs.size());
        }
        assertThat(HotelData.profiles(1000)).isEqualTo(HotelData.profiles(1000));
    }

    @Test
    void firstHotelsAndNcQuirks() {
        final Document clift = HotelData.profiles(6).get(0);
        assertThat(clift).containsEntry("id", "1").containsEntry("name", "Clift Hotel")
                .containsEntry("phoneNumber", "(415) 775-4700");
        assertThat(clift.get("address", Document.class)).containsEntry("postalCode", "94102")
                .containsEntry("lat", (double) 37.7867f);
        // NC's geo data puts hotel 3 at 37.7854, its profile at 37.7834
        assertThat(HotelData.geo(6).get(2).getDouble("lat")).isEqualTo(37.7854);
        assertThat(HotelData.profiles(6).get(2).get("address", Document.class).getDouble("lat")).isEqualTo((double) 37.7834f);
        final Document h10 = HotelData.profiles(10).get(9);
        assertThat(h10).containsEntry("name", "St. Regis San Francisco").containsEntry("phoneNumber", "(415) 284-4010");
    }

    @Test
    void ratePlansFollowTheModuloTables() {
        final List<Document> plans = HotelData.ratePlans(1000);
        assertThat(plans.stream().map(d -> d.getString("hotelId")).limit(5)).containsExactly("1", "2", "3", "9", "12");
        final Document nine = plans.get(3);
        assertThat(nine).containsEntry("outDate", "2015-04-24").containsEntry("code", "RACK");
        assertThat(nine.get("roomType", Document.class)).containsEntry("totalRate", 232.0)
                .containsEntry("totalRateInclusive", 258.0);
        assertThat(plans.get(4)).containsEntry("outDate", "2015-04-17"); // 12: even
        assertThat(plans.get(4).get("roomType", Document.class)).containsEntry("totalRate", 124.0); // 12 % 5 == 2
    }

    @Test
    void capacitiesAndRecommendations() {
        final List<Document> caps = HotelData.capacities(12);
        assertThat(caps.stream().map(d -> d.getInteger("numberOfRoom")))
                .containsExactly(200, 200, 200, 200, 200, 200, 300, 250, 200, 300, 250, 200);
        final List<Document> rec = HotelData.recommendations(15);
        assertThat(rec.get(1)).containsEntry("rate", 139.0).containsEntry("price", 120.0);
        assertThat(rec.get(6)).containsEntry("rate", 135.0).containsEntry("price", 179.0);
        assertThat(rec.get(8)).containsEntry("rate", 232.0).containsEntry("price", 258.0);
    }
}
