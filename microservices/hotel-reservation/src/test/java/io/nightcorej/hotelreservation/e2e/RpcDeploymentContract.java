package io.nightcorej.hotelreservation.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.hotelreservation.HotelReservationWorkload;
import io.nightcorej.hotelreservation.support.InProcessHotel;
import io.nightcorej.microservices.common.deploy.EmbeddedRpcDeployment;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedStorage;
import io.nightcorej.microservices.common.testsupport.RawHttp;
import io.nightcorej.microservices.common.testsupport.StoreServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The RPC-server deployment end to end in one JVM, over real sockets ({@link EmbeddedRpcDeployment}): the seven
 * processors on Thrift servers (framed binary, loopback), each with the environment a real deployment builds from its
 * settings ({@code transport=rpc}, {@code services.*}, {@code storage.*}), M1's front end in front, and the
 * requests exactly as the {@code hotelreservation-mixed} load generator sends them. Documents are on the embedded
 * mongo-java-server; the cache is the embedded memcached-protocol server ({@link RpcDeploymentEmbeddedTest}) or Debian's
 * {@code memcached} ({@link RpcDeploymentRealTest}; skipped with the reason when it is not installed, a failure when
 * {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RpcDeploymentContract {

    private final String storageKind;
    private EmbeddedStorage storage;
    private StoreServer memcached;
    private EmbeddedRpcDeployment stack;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param storageKind the cache server: "embedded" or "real" (see {@link StoreServer}). */
    RpcDeploymentContract(final String storageKind) {
        this.storageKind = storageKind;
    }

    @BeforeAll
    void start() throws Exception {
        memcached = StoreServer.memcached(storageKind);
        storage = EmbeddedStorage.start("127.0.0.1", 0, 0, 0);
        stack = new EmbeddedRpcDeployment.Context().workload(new HotelReservationWorkload())
                .settings(InProcessHotel.settings(storage))
                .settings(Map.of("rpc.timeout.ms", "5000", "storage.memcached", memcached.address(),
                        "storage.timeout.ms", "1000"))
                .serviceThreads(32).frontendWorkers(8).start();
    }

    @AfterAll
    void stop() {
        closeQuietly(stack);
        closeQuietly(storage);
        closeQuietly(memcached);
    }

    private static void closeQuietly(final AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (final Exception ignored) {
            // best effort
        }
    }

    private HttpResponse<String> send(final String method, final String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.url() + pathAndQuery)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theMixedWorkloadsFourRequestsAsTheLoadGeneratorSendsThem() throws Exception {
        final HttpResponse<String> hotels = send("GET", "/hotels?inDate=2015-04-09&outDate=2015-04-10&lat=37.7867"
                + "&lon=-122.4112");
        assertThat(hotels.statusCode()).as(hotels.body()).isEqualTo(200);
        assertThat(hotels.body()).contains("\"id\":\"1\"", "Clift Hotel", "\"type\":\"FeatureCollection\"");
        final HttpResponse<String> rec = send("GET", "/recommendations?require=price&lat=38.0235&lon=-122.095");
        assertThat(rec.statusCode()).isEqualTo(200);
        assertThat(rec.body()).contains("\"id\":\"2\"");
        final HttpResponse<String> user = send("POST", "/user?username=Cornell_42&password=" + "42".repeat(10));
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(user.body()).isEqualTo("{\"message\":\"Failed. Please check your username and password. \"}\n");
        final HttpResponse<String> res = send("POST", "/reservation?inDate=2015-04-15&outDate=2015-04-18&lat=nil&lon=nil"
                + "&hotelId=77&customerName=Cornell_42&username=Cornell_42&password=" + "42".repeat(10) + "&number=1");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).contains("\"message\"");
    }

    @Test
    void wrkStyleRawRequestAndAFormBody() throws Exception {
        // absolute-form target, as wrk sends it, POST with an empty body
        final String raw = RawHttp.exchange(stack.url(), "POST " + stack.url()
                + "/user?username=Cornell_1&password=1111111111 HTTP/1.1\r\n"
                + "Host: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", new byte[0]);
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Failed. Please check your username and password. ");
        final HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(stack.url() + "/recommendations"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("require=price&lat=38.0235&lon=-122.095")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("\"id\":\"2\"");
        assertThat(send("GET", "/hotels?lat=1&lon=1").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void loadChecksTheDataThroughTheFrontEnd() throws Exception {
        new HotelReservationWorkload().load(URI.create(stack.url()), Map.of("warmup", "3"));
        assertThatThrownBy(() -> new HotelReservationWorkload().load(URI.create(stack.url()), Map.of("dataset", "x")))
                .hasMessageContaining("unknown hotelreservation load option 'dataset'");
    }

    @Test
    void aCacheOutageIsA500NamingTheStoreUntilTheCacheIsBack() throws Exception {
        final String path = "/recommendations?require=dis&lat=37.7936&lon=-122.3930";
        assertThat(send("GET", path).statusCode()).isEqualTo(200);
        memcached.close();
        final long t0 = System.nanoTime();
        final HttpResponse<String> down = send("GET", path);
        assertThat(down.statusCode()).isEqualTo(500);
        assertThat(down.body()).contains("memcached " + memcached.address(), "profile:4");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("bounded by storage.timeout.ms").isLessThan(10_000);
        memcached.restart();
        // every service's client reconnects on its own: wait until each path that touches the cache works again
        for (final String[] request : new String[][] {{"GET", path},
                {"GET", "/hotels?inDate=2015-04-09&outDate=2015-04-10&lat=37.7867&lon=-122.4112"},
                {"POST", "/reservation?inDate=2015-04-25&outDate=2015-04-26&hotelId=12&customerName=c&username=u"
                        + "&password=p&number=1"}}) {
            final long deadline = System.nanoTime() + 15_000_000_000L;
            HttpResponse<String> back = send(request[0], request[1]);
            while (back.statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                back = send(request[0], request[1]);
            }
            assertThat(back.statusCode()).as(request[1] + ": " + back.body()).isEqualTo(200);
        }
        assertThat(send("GET", path).body()).contains("\"id\":\"4\"", "Hotel Vitale");
    }
}
