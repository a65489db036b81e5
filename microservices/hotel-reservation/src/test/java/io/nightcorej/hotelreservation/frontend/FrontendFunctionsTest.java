package io.nightcorej.hotelreservation.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.hotelreservation.HotelReservationWorkload;
import io.nightcorej.hotelreservation.support.InProcessHotel;
import io.nightcorej.microservices.common.deploy.FrontendFunction;
import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NC's Nightcore deployment of the front end: the four paths as the functions {@code hotels}, {@code recommendations},
 * {@code user}, {@code reservation} ({@link FrontendFunction}, function transport), called with the JSON object the
 * gateway builds from the load generator's query strings, every service call an internal call routed by a stand-in
 * engine (the callee's context bound, as the launcher binds it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontendFunctionsTest {

    private InProcessHotel hotel;
    private final InProcessServiceClients runtime = new InProcessServiceClients();
    private final List<FrontendFunction> frontends = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        hotel = new InProcessHotel();
        for (final String service : hotel.workload.services()) {
            runtime.register(service, hotel.workload.processor(service, hotel.env));
        }
        for (final Map.Entry<String, String> e : FrontendFunction.functionsOf(hotel.workload).entrySet()) {
            final Map<String, String> settings = new HashMap<>(InProcessHotel.settings(hotel.storage));
            settings.put(FrontendFunction.ENDPOINT, e.getValue());
            final FrontendFunction f = new FrontendFunction();
            f.init(settings);
            frontends.add(f);
            runtime.register(e.getKey(), f);
        }
    }

    @AfterAll
    void stop() {
        frontends.forEach(f -> f.environment().close());
        hotel.close();
    }

    /** @return the internal calls so far as caller&gt;callee. */
    private List<String> calls() {
        return runtime.calls().stream().map(c -> c.caller() + ">" + c.callee()).toList();
    }

    /** An external call through the gateway: {@code /function/<name>?<query>} with qsAsInput. */
    private String external(final String function, final String qsJson) throws Exception {
        return new String(runtime.call(function, qsJson.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void theFunctionNamesAreNcsAndThePathsTheLoadGeneratorSends() {
        assertThat(FrontendFunction.functionsOf(new HotelReservationWorkload())).containsExactly(
                Map.entry("hotels", "/hotels"), Map.entry("recommendations", "/recommendations"),
                Map.entry("user", "/user"), Map.entry("reservation", "/reservation"));
    }

    @Test
    void everyFunctionAnswersAsTheFrontEndDoesWithInternalServiceCalls() throws Exception {
        assertThat(external("recommendations", "{\"require\":\"price\",\"lat\":\"38.0235\",\"lon\":\"-122.095\"}"))
                .isEqualTo("{\"features\":[{\"geometry\":{\"coordinates\":[-122.4005,37.7854],\"type\":\"Point\"},"
                        + "\"id\":\"2\",\"properties\":{\"name\":\"W San Francisco\",\"phone_number\":\"(415) 777-5300\"},"
                        + "\"type\":\"Feature\"}],\"type\":\"FeatureCollection\"}\n");
        runtime.calls().clear();
        assertThat(external("hotels", "{\"inDate\":\"2015-04-09\",\"outDate\":\"2015-04-10\",\"lat\":\"37.7867\","
                + "\"lon\":\"-122.4112\"}")).startsWith("{\"features\":[{\"geometry\":{\"coordinates\":[-122.4005,37.7854]")
                .contains("\"id\":\"1\"", "\"id\":\"3\"");
        assertThat(calls()).containsExactly("hotels>Search", "Search>Geo", "Search>Rate", "hotels>Reservation", "hotels>Profile");
        assertThat(external("user", "{\"username\":\"Cornell_5\",\"password\":\"5555555555\"}"))
                .isEqualTo("{\"message\":\"Failed. Please check your username and password. \"}\n");
        runtime.calls().clear();
        assertThat(external("reservation", "{\"inDate\":\"2015-04-12\",\"outDate\":\"2015-04-14\",\"lat\":\"nil\","
                + "\"lon\":\"nil\",\"hotelId\":\"11\",\"customerName\":\"Cornell_3\",\"username\":\"Cornell_3\","
                + "\"password\":\"3333333333\",\"number\":\"1\"}"))
                .isEqualTo("{\"message\":\"Failed. Please check your username and password. \"}\n");
        assertThat(calls()).containsExactly("reservation>User", "reservation>Reservation");
    }

    @Test
    void frontEndErrorsFailTheCallWithUpstreamsText() {
        assertThatThrownBy(() -> external("hotels", "{\"inDate\":\"2015-04-09\",\"lat\":\"1\",\"lon\":\"1\"}"))
                .isInstanceOf(FrontendFunction.FrontendCallException.class)
                .hasMessage("HTTP 400 from /hotels: Please specify outDate params");
        assertThatThrownBy(() -> external("recommendations", "{\"require\":\"cheap\",\"lat\":\"1\",\"lon\":\"1\"}"))
                .hasMessageStartingWith("HTTP 400 from /recommendations: ");
    }
}
