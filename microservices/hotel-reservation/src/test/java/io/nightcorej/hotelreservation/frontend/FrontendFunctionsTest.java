package io.nightcorej.hotelreservation.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.hotelreservation.HotelReservationWorkload;
import io.nightcorej.hotelreservation.support.InProcessHotel;
import io.nightcorej.microservices.common.deploy.FrontendFunction;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;
import io.nightcorej.sdk.thrift.ThriftFunction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final Map<String, io.nightcorej.sdk.Function> functions = new HashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        hotel = new InProcessHotel();
        for (final String service : hotel.workload.services()) {
            functions.put(service, new ThriftFunction(hotel.workload.processor(service, hotel.env)));
        }
        for (final Map.Entry<String, String> e : FrontendFunction.functionsOf(hotel.workload).entrySet()) {
            final Map<String, String> settings = new HashMap<>(InProcessHotel.settings(hotel.storage));
            settings.put(FrontendFunction.ENDPOINT, e.getValue());
            final FrontendFunction f = new FrontendFunction();
            f.init(settings);
            functions.put(e.getKey(), f);
        }
    }

    @AfterAll
    void stop() {
        functions.values().forEach(f -> {
            if (f instanceof FrontendFunction ff) {
                ff.environment().close();
            }
        });
        hotel.close();
    }

    private FunctionContext context(final String function) {
        return new FunctionContext() {
            @Override
            public String functionName() {
                return function;
            }

            @Override
            public long callId() {
                return 1;
            }

            @Override
            public byte[] invoke(final String callee, final byte[] input) throws FunctionCallException {
                calls.add(function + ">" + callee);
                final io.nightcorej.sdk.Function f = functions.get(callee);
                if (f == null) {
                    throw new FunctionCallException(FunctionCallException.Status.NOT_FOUND, callee, "no function " + callee);
                }
                final FunctionContext ctx = context(callee);
                try (var scope = FunctionContext.bind(ctx)) {
                    return f.call(ctx, input);
                } catch (final Exception e) {
                    throw new FunctionCallException(FunctionCallException.Status.FAILED, callee, String.valueOf(e));
                }
            }

            @Override
            public CompletableFuture<byte[]> invokeAsync(final String callee, final byte[] input) {
                throw new UnsupportedOperationException("the front end calls sequentially");
            }
        };
    }

    /** An external call through the gateway: {@code /function/<name>?<query>} with qsAsInput. */
    private String external(final String function, final String qsJson) throws Exception {
        final FunctionContext ctx = context(function);
        try (var scope = FunctionContext.bind(ctx)) {
            return new String(functions.get(function).call(ctx, qsJson.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
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
        calls.clear();
        assertThat(external("hotels", "{\"inDate\":\"2015-04-09\",\"outDate\":\"2015-04-10\",\"lat\":\"37.7867\","
                + "\"lon\":\"-122.4112\"}")).startsWith("{\"features\":[{\"geometry\":{\"coordinates\":[-122.4005,37.7854]")
                .contains("\"id\":\"1\"", "\"id\":\"3\"");
        assertThat(calls).containsExactly("hotels>Search", "Search>Geo", "Search>Rate", "hotels>Reservation", "hotels>Profile");
        assertThat(external("user", "{\"username\":\"Cornell_5\",\"password\":\"5555555555\"}"))
                .isEqualTo("{\"message\":\"Failed. Please check your username and password. \"}\n");
        calls.clear();
        assertThat(external("reservation", "{\"inDate\":\"2015-04-12\",\"outDate\":\"2015-04-14\",\"lat\":\"nil\","
                + "\"lon\":\"nil\",\"hotelId\":\"11\",\"customerName\":\"Cornell_3\",\"username\":\"Cornell_3\","
                + "\"password\":\"3333333333\",\"number\":\"1\"}"))
                .isEqualTo("{\"message\":\"Failed. Please check your username and password. \"}\n");
        assertThat(calls).containsExactly("reservation>User", "reservation>Reservation");
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
