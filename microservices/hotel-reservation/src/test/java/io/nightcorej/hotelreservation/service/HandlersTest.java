package io.nightcorej.hotelreservation.service;

import static io.nightcorej.hotelreservation.service.Errors.ERRORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import io.nightcorej.hotelreservation.data.Collections;
import io.nightcorej.hotelreservation.support.InProcessHotel;
import io.nightcorej.hotelreservation.thrift.GeoRequest;
import io.nightcorej.hotelreservation.thrift.Hotel;
import io.nightcorej.hotelreservation.thrift.NearbyRequest;
import io.nightcorej.hotelreservation.thrift.ProfileRequest;
import io.nightcorej.hotelreservation.thrift.RatePlan;
import io.nightcorej.hotelreservation.thrift.RateRequest;
import io.nightcorej.hotelreservation.thrift.RecommendationRequest;
import io.nightcorej.hotelreservation.thrift.ReservationRequest;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.hotelreservation.thrift.UserRequest;
import io.nightcorej.microservices.common.service.ServiceCaller;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every handler against embedded storage through the real clients, with NC's full data set seeded by the services'
 * own start-up ({@link InProcessHotel}). Search goes through Thrift to Geo and Rate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandlersTest {

    private InProcessHotel hotel;

    @BeforeAll
    void start() throws Exception {
        hotel = new InProcessHotel();
    }

    @AfterAll
    void stop() {
        hotel.close();
    }

    @Test
    void geoAnswersAtMostFiveHotelsWithinTenKilometresNearestFirst() throws Exception {
        final GeoHandler geo = new GeoHandler(hotel.documents());
        final List<String> ids = geo.Nearby(new GeoRequest().setLat(37.7867).setLon(-122.4112)).getHotelIds();
        assertThat(ids).hasSize(5).startsWith("1");
        double previous = -1;
        for (final String id : ids) {
            final Document d = hotel.documents().findOne(Collections.GEO, Filters.eq("hotelId", id)).orElseThrow();
            final double km = Haversine.km(37.7867, -122.4112, d.getDouble("lat"), d.getDouble("lon"));
            assertThat(km).isLessThanOrEqualTo(10).isGreaterThanOrEqualTo(previous);
            previous = km;
        }
        assertThat(geo.Nearby(new GeoRequest().setLat(0).setLon(0)).getHotelIds()).isEmpty();
        // hotel 500 is at (40.7835, -118.41): alone within 10 km of itself
        assertThat(geo.Nearby(new GeoRequest().setLat(40.7835).setLon(-118.41)).getHotelIds()).startsWith("500");
    }

    @Test
    void rateSortsByTotalRateDescendingIgnoresDatesAndCachesUnderAPrefix() throws Exception {
        final RateHandler rate = new RateHandler(hotel.documents(), hotel.cache());
        final RateRequest req = new RateRequest().setHotelIds(List.of("1", "4", "2", "9")).setInDate("2015-04-09")
                .setOutDate("2015-04-10");
        final List<RatePlan> miss = rate.GetRates(req).getRatePlans();
        assertThat(miss).extracting(RatePlan::getHotelId).containsExactly("9", "2", "1");
        assertThat(miss).extracting(p -> p.getRoomType().getTotalRate()).containsExactly(232.0, 139.0, 109.0);
        assertThat(hotel.cache().get("rate:9")).isNotNull();
        assertThat(new String(hotel.cache().get("rate:4"), StandardCharsets.UTF_8)).isEmpty(); // the miss is cached
        assertThat(hotel.cache().get("9")).isNull(); // no bare keys (they would collide with Profile's)
        final List<RatePlan> hit = rate.GetRates(req.deepCopy().setInDate("2016-01-01").setOutDate("2016-02-01"))
                .getRatePlans();
        assertThat(hit).isEqualTo(miss);
        assertThat(hit.get(1).getRoomType().getRoomDescription()).isEqualTo("Queen sized bed");
    }

    @Test
    void profileKeepsRequestOrderAndAnswersAnEmptyHotelForAnUnknownId() throws Exception {
        final ProfileHandler profile = new ProfileHandler(hotel.documents(), hotel.cache());
        final ProfileRequest req = new ProfileRequest().setHotelIds(List.of("3", "1", "nope", "999")).setLocale("en");
        for (int round = 0; round < 2; round++) { // miss, then hit
            final List<Hotel> hotels = profile.GetProfiles(req).getHotels();
            assertThat(hotels).extracting(Hotel::getId).containsExactly("3", "1", null, "999");
            assertThat(hotels.get(0).getName()).isEqualTo("Hotel Zetta");
            assertThat(hotels.get(1).getAddress().getStreetName()).isEqualTo("Geary St");
            assertThat((float) hotels.get(1).getAddress().getLat()).isEqualTo(37.7867f);
            assertThat(hotels.get(3).getPhoneNumber()).isEqualTo("(415) 284-40999");
        }
        assertThat(hotel.cache().get("profile:1")).isNotNull();
    }

    @Test
    void recommendationByPriceRateAndDistance() throws Exception {
        final RecommendationHandler rec = new RecommendationHandler(hotel.documents());
        assertThat(rec.GetRecommendations(new RecommendationRequest().setRequire("price").setLat(38.0235).setLon(-122.095))
                .getHotelIds()).containsExactly("2");
        assertThat(rec.GetRecommendations(new RecommendationRequest().setRequire("rate").setLat(38.0235).setLon(-122.095))
                .getHotelIds()).containsExactly("9", "24", "39", "54", "69");
        assertThat(rec.GetRecommendations(new RecommendationRequest().setRequire("dis").setLat(37.7936).setLon(-122.3930))
                .getHotelIds()).containsExactly("4");
        assertThat(rec.GetRecommendations(new RecommendationRequest().setRequire("cheap")).getHotelIds()).isEmpty();
    }

    @Test
    void userCheckFailsForNcsPlainTextPasswordsButTheComparisonIsSha256() throws Exception {
        hotel.documents().insert(Collections.USERS, new Document("username", "hashed")
                .append("password", UserHandler.sha256Hex("secret")));
        final UserHandler user = new UserHandler(hotel.documents());
        assertThat(user.CheckUser(new UserRequest().setUsername("Cornell_1").setPassword("1111111111")).isCorrect())
                .isFalse();
        assertThat(user.CheckUser(new UserRequest().setUsername("Cornell_10000").setPassword("10000".repeat(10)))
                .isCorrect()).isFalse();
        assertThat(user.CheckUser(new UserRequest().setUsername("nobody").setPassword("x")).isCorrect()).isFalse();
        assertThat(user.CheckUser(new UserRequest().setUsername("hashed").setPassword("secret")).isCorrect()).isTrue();
        assertThat(user.CheckUser(new UserRequest().setUsername("hashed").setPassword("wrong")).isCorrect()).isFalse();
    }

    @Test
    void reservationFillsAHotelToCapacityThenRefuses() throws Exception {
        final ReservationHandler res = new ReservationHandler(hotel.documents(), hotel.cache());
        // hotel 4 has 200 rooms and NC's seed reservation (Alice, 1 room, night of 2015-04-09)
        final ReservationRequest night = new ReservationRequest().setCustomerName("Bob").setHotelId(List.of("4"))
                .setInDate("2015-04-09").setOutDate("2015-04-10");
        assertThat(res.CheckAvailability(night.deepCopy().setHotelId(List.of("4", "5")).setRoomNumber(200)).getHotelId())
                .containsExactly("5");
        assertThat(res.MakeReservation(night.deepCopy().setRoomNumber(200)).getHotelId()).isEmpty();
        assertThat(res.MakeReservation(night.deepCopy().setRoomNumber(199)).getHotelId()).containsExactly("4");
        // upstream's key: the night's end date twice
        assertThat(new String(hotel.cache().get("reserve:4_2015-04-10_2015-04-10"), StandardCharsets.US_ASCII))
                .isEqualTo("200");
        assertThat(res.MakeReservation(night.deepCopy().setRoomNumber(1)).getHotelId()).isEmpty();
        assertThat(res.CheckAvailability(night.deepCopy().setHotelId(List.of("4", "5")).setRoomNumber(1)).getHotelId())
                .containsExactly("5");
        assertThat(hotel.documents().find(Collections.RESERVATIONS, Filters.eq("hotelId", "4"), null, 0))
                .extracting(d -> d.getString("customerName")).containsExactlyInAnyOrder("Alice", "Bob");
        // the count survives losing the cache: it is rebuilt from the documents
        hotel.cache().delete("reserve:4_2015-04-10_2015-04-10");
        assertThat(res.MakeReservation(night.deepCopy().setRoomNumber(1)).getHotelId()).isEmpty();
    }

    @Test
    void reservationBooksEveryNightOfAStay() throws Exception {
        final ReservationHandler res = new ReservationHandler(hotel.documents(), hotel.cache());
        final ReservationRequest stay = new ReservationRequest().setCustomerName("Cornell_7").setHotelId(List.of("7"))
                .setInDate("2015-04-20").setOutDate("2015-04-23").setRoomNumber(100);
        for (int i = 0; i < 3; i++) {
            assertThat(res.MakeReservation(stay).getHotelId()).containsExactly("7"); // 300 rooms
        }
        assertThat(res.MakeReservation(stay).getHotelId()).isEmpty();
        final List<String> nights = new ArrayList<>();
        for (final Document d : hotel.documents().find(Collections.RESERVATIONS, Filters.eq("hotelId", "7"), null, 0)) {
            nights.add(d.getString("inDate") + ">" + d.getString("outDate"));
        }
        assertThat(nights).hasSize(9).containsOnly("2015-04-20>2015-04-21", "2015-04-21>2015-04-22",
                "2015-04-22>2015-04-23");
        // a later, overlapping stay fails on the full nights only
        assertThat(res.CheckAvailability(stay.deepCopy().setInDate("2015-04-22").setOutDate("2015-04-24").setRoomNumber(1))
                .getHotelId()).isEmpty();
        assertThat(res.CheckAvailability(stay.deepCopy().setInDate("2015-04-23").setOutDate("2015-04-24").setRoomNumber(1))
                .getHotelId()).containsExactly("7");
    }

    @Test
    void reservationEdgeCasesAsUpstream() throws Exception {
        final ReservationHandler res = new ReservationHandler(hotel.documents(), hotel.cache());
        final ReservationRequest empty = new ReservationRequest().setCustomerName("x").setHotelId(List.of("8"))
                .setInDate("2015-04-10").setOutDate("2015-04-10").setRoomNumber(1);
        assertThat(res.MakeReservation(empty).getHotelId()).containsExactly("8"); // nothing to book "succeeds"
        assertThat(res.CheckAvailability(empty).getHotelId()).isEmpty(); // ...but is never "available"
        assertThatThrownBy(() -> res.MakeReservation(empty.deepCopy().setInDate("2015-02-30")))
                .isInstanceOf(ServiceException.class).hasMessageContaining("inDate '2015-02-30' is not a date");
        assertThatThrownBy(() -> res.MakeReservation(empty.deepCopy().setHotelId(List.of("1001")).setOutDate("2015-04-11")))
                .isInstanceOf(ServiceException.class).hasMessageContaining("no room count for hotel '1001'");
        assertThatThrownBy(() -> res.CheckAvailability(empty.deepCopy().setOutDate("2020-04-11")))
                .isInstanceOf(ServiceException.class).hasMessageContaining("longer than 366");
    }

    @Test
    void searchReturnsOnlyHotelsWithRatePlansHighestRateFirst() throws Exception {
        final SearchHandler search = new SearchHandler(new ServiceCaller<>(hotel.clients, ERRORS));
        // near hotel 9 (37.8375, -122.338): its neighbours within 10 km with plans are 9, 12, 15, ...
        final List<String> ids = search.Nearby(new NearbyRequest().setLat(37.8375).setLon(-122.338)
                .setInDate("2015-04-09").setOutDate("2015-04-10")).getHotelIds();
        assertThat(ids).isNotEmpty().allSatisfy(id -> {
            final int i = Integer.parseInt(id);
            assertThat(i <= 3 || i % 3 == 0).as("hotel %s has a rate plan", id).isTrue();
        });
        assertThat(ids).startsWith("9"); // 232, the highest rate
        final List<String> geo = new GeoHandler(hotel.documents()).Nearby(new GeoRequest().setLat(37.8375).setLon(-122.338))
                .getHotelIds();
        assertThat(geo).containsAll(ids);
    }
}
