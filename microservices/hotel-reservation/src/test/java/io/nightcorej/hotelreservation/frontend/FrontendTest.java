package io.nightcorej.hotelreservation.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.hotelreservation.service.ServiceNames;
import io.nightcorej.hotelreservation.support.InProcessHotel;
import io.nightcorej.microservices.common.http.HttpRequest;
import io.nightcorej.microservices.common.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The four endpoints' bodies, status codes and messages, over every service wired in-process through Thrift. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontendTest {

    private InProcessHotel hotel;

    @BeforeAll
    void start() throws Exception {
        hotel = new InProcessHotel();
    }

    @AfterAll
    void stop() {
        hotel.close();
    }

    private HttpResponse send(final String method, final String path, final String query) throws Exception {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        for (final String pair : query.split("&")) {
            final int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), List.of(pair.substring(eq + 1)));
            }
        }
        return hotel.endpoints.get(path).handle(new HttpRequest(method, path, params, new byte[0]));
    }

    private static String body(final HttpResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void recommendationsByPriceIsHotelTwoAsGeoJson() throws Exception {
        final HttpResponse r = send("GET", "/recommendations", "require=price&lat=38.0235&lon=-122.095");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(body(r)).isEqualTo("{\"features\":[{\"geometry\":{\"coordinates\":[-122.4005,37.7854],\"type\":\"Point\"},"
                + "\"id\":\"2\",\"properties\":{\"name\":\"W San Francisco\",\"phone_number\":\"(415) 777-5300\"},"
                + "\"type\":\"Feature\"}],\"type\":\"FeatureCollection\"}\n");
        assertThat(body(send("GET", "/recommendations", "require=rate&lat=38.0235&lon=-122.095")))
                .contains("\"id\":\"9\"", "\"id\":\"69\"");
        assertThat(body(send("POST", "/recommendations", "require=dis&lat=37.7867&lon=-122.4112")))
                .contains("\"id\":\"1\"", "Clift Hotel");
    }

    @Test
    void hotelsSearchesChecksAvailabilityAndRendersProfiles() throws Exception {
        final int before = hotel.clients.calls().size();
        final HttpResponse r = send("GET", "/hotels", "inDate=2015-04-09&outDate=2015-04-10&lat=37.7867&lon=-122.4112");
        assertThat(r.status()).isEqualTo(200);
        // nearest five to the Clift Hotel: 1, 6, 2, 3, 5 (geo); with rate plans: 2 (139), then 1 and 3 (109)
        assertThat(body(r)).startsWith("{\"features\":[{\"geometry\":{\"coordinates\":[-122.4005,37.7854]")
                .contains("\"id\":\"1\"", "\"id\":\"3\"").doesNotContain("\"id\":\"6\"", "\"id\":\"5\"")
                .endsWith("],\"type\":\"FeatureCollection\"}\n");
        assertThat(hotel.clients.calls().subList(before, hotel.clients.calls().size()))
                .extracting(c -> c.caller() + ">" + c.callee())
                .containsExactly("frontend>Search", "Search>Geo", "Search>Rate", "frontend>Reservation", "frontend>Profile");
        // the box the mixed workload searches reaches hotels up to ~80; far away there is nothing
        assertThat(body(send("GET", "/hotels", "inDate=2015-04-09&outDate=2015-04-10&lat=10&lon=10")))
                .isEqualTo("{\"features\":[],\"type\":\"FeatureCollection\"}\n");
    }

    @Test
    void userLoginAlwaysFailsWithNcsData() throws Exception {
        final HttpResponse r = send("POST", "/user", "username=Cornell_5&password=5555555555");
        assertThat(r.status()).isEqualTo(200);
        assertThat(body(r)).isEqualTo("{\"message\":\"Failed. Please check your username and password. \"}\n");
    }

    @Test
    void reservationIsMadeEvenWhenTheLoginFailsAndRefusedWhenFull() throws Exception {
        final String q = "inDate=2015-04-12&outDate=2015-04-14&lat=nil&lon=nil&hotelId=10&customerName=Cornell_3"
                + "&username=Cornell_3&password=3333333333&number=";
        // hotel 10 has 300 rooms
        assertThat(body(send("POST", "/reservation", q + "299")))
                .isEqualTo("{\"message\":\"Failed. Please check your username and password. \"}\n");
        assertThat(body(send("POST", "/reservation", q + "1")))
                .isEqualTo("{\"message\":\"Failed. Please check your username and password. \"}\n");
        final HttpResponse full = send("POST", "/reservation", q + "1");
        assertThat(full.status()).isEqualTo(200);
        assertThat(body(full)).isEqualTo("{\"message\":\"Failed. Already reserved. \"}\n");
        // number absent or not a number = 0 rooms, as upstream: "succeeds" even on a full hotel
        assertThat(body(send("POST", "/reservation", q + "x"))).contains("check your username");
    }

    @Test
    void missingOrInvalidParametersAre400WithText() throws Exception {
        assertThat(send("GET", "/hotels", "outDate=2015-04-10&lat=1&lon=1")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(body(r)).isEqualTo("Please specify inDate params\n");
        });
        assertThat(body(send("GET", "/hotels", "inDate=2015-04-09&outDate=2015-04-10&lon=1")))
                .isEqualTo("Please specify location params\n");
        assertThat(send("GET", "/hotels", "inDate=2015-04-09&outDate=2015-04-10&lat=north&lon=1").status()).isEqualTo(400);
        assertThat(body(send("GET", "/hotels", "inDate=2015-4-9&outDate=2015-04-10&lat=1&lon=1")))
                .isEqualTo("Please check inDate/outDate format (YYYY-MM-DD)\n");
        assertThat(send("GET", "/hotels", "inDate=2015-02-30&outDate=2015-04-10&lat=1&lon=1").status()).isEqualTo(400);
        assertThat(body(send("GET", "/recommendations", "require=cheap&lat=1&lon=1")))
                .isEqualTo("Please specify require params\n");
        assertThat(body(send("POST", "/user", "username=a"))).isEqualTo("Please specify password params\n");
        assertThat(body(send("POST", "/reservation", "inDate=2015-04-09&outDate=2015-04-10&hotelId=1&username=a"
                + "&password=b"))).isEqualTo("Please specify customerName params\n");
        assertThat(send("POST", "/reservation", "inDate=2015-04-09&outDate=2015-04-10&hotelId=1&customerName=a")
                .status()).isEqualTo(400);
    }

    @Test
    void aServiceThatCannotBeReachedIs500WithTheReason() throws Exception {
        final var profile = hotel.workload.processor(ServiceNames.PROFILE, hotel.env);
        hotel.clients.unregister(ServiceNames.PROFILE);
        try {
            final HttpResponse r = send("GET", "/recommendations", "require=price&lat=1&lon=1");
            assertThat(r.status()).isEqualTo(500);
            assertThat(body(r)).contains("Profile").contains("no function Profile");
        } finally {
            hotel.clients.register(ServiceNames.PROFILE, profile);
        }
        assertThat(send("GET", "/recommendations", "require=price&lat=1&lon=1").status()).isEqualTo(200);
    }
}
