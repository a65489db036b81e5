package io.nightcorej.socialnetwork.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.cli.NightcoreStack;
import io.nightcorej.microservices.common.deploy.DefaultServiceEnvironment;
import io.nightcorej.microservices.common.deploy.ServiceFunction;
import io.nightcorej.microservices.common.http.FrontendServer;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import io.nightcorej.socialnetwork.SocialNetworkWorkload;
import io.nightcorej.socialnetwork.support.Http;
import io.nightcorej.socialnetwork.support.Storage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Nightcore function deployment end to end: each of the eleven services is a {@link ServiceFunction} (one
 * function per Thrift service, named after it, as in NC) in a real function process started by R2's engine from
 * {@code target/social-network.jar}; nested calls are Nightcore internal calls; the front end reaches the services
 * through the gateway ({@code transport=gateway}, {@code POST /function/<Service>} carrying the Thrift message).
 * Runs after {@code package} (failsafe), because the function processes need the shaded jar.
 */
class NightcoreDeploymentIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 330, unit = TimeUnit.SECONDS)
    void composeAndReadBothTimelinesThroughNightcoreFunctions() throws Exception {
        final Path jar = Path.of("target", "social-network.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar (built in package)").exists();
        final SocialNetworkWorkload workload = new SocialNetworkWorkload();
        try (Storage storage = Storage.embedded()) {
            final StackConfig config = new StackConfig();
            config.gateway().httpPort(0).enginePort(0).maxRunningRequests(64);
            final Path ipcRoot = Path.of("/dev/shm/nightcore-j-socialnetwork-it-" + ProcessHandle.current().pid());
            config.engine().ipcRoot(ipcRoot.toString());
            int id = 1;
            for (final String service : workload.services()) {
                final Map<String, String> settings = new LinkedHashMap<>();
                settings.put("workload", SocialNetworkWorkload.NAME);
                settings.put("service", service);
                settings.put("storage.mongo", storage.mongoUri);
                settings.put("storage.redis", storage.redis.address());
                settings.put("storage.memcached", storage.memcached.address());
                settings.put("storage.timeout.ms", "2000");
                config.addFunction(new FunctionConfig().name(service).id(id++)
                        .handler(ServiceFunction.class.getName()).classpath(List.of(jar.toString()))
                        .minWorkers(2).maxWorkers(8).timeoutMs(20_000)
                        .isolation(FunctionConfig.ISOLATION_PROCESS).settings(settings));
            }
            try (NightcoreStack stack = NightcoreStack.launch(config.conclude())) {
                stack.awaitWorkers(Duration.ofSeconds(150));
                final Map<String, String> frontendSettings = Map.of("transport", "gateway",
                        "gateway.url", stack.gatewayUri().toString(), "gateway.timeout.ms", "20000");
                try (DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(frontendSettings);
                     FrontendServer frontend = new FrontendServer.Context().endpoints(workload.frontend(env))
                             .bind("127.0.0.1").port(0).workers(16).start()) {
                    exercise(new Http(frontend.url()));
                }
            } finally {
                assertThat(Files.exists(ipcRoot)).as("IPC root removed").isFalse();
            }
        }
    }

    private static void exercise(final Http http) throws Exception {
        for (int i = 1; i <= 3; i++) {
            final HttpResponse<String> r = http.post("/wrk2-api/user/register", "first_name=f&last_name=l&username=username_"
                    + i + "&password=p&user_id=" + i);
            assertThat(r.body()).isEqualTo("Success!\n");
        }
        assertThat(http.post("/wrk2-api/user/follow", "user_name=username_2&followee_name=username_1").body())
                .isEqualTo("Success!\n");
        final String raw = http.raw("POST", "/wrk2-api/post/compose", "username=username_1&user_id=1"
                + "&text=via nightcore @username_3 http://example.org&media_ids=[\"913463752091825432\"]"
                + "&media_types=[\"png\"]&post_type=0");
        assertThat(raw).startsWith("HTTP/1.1 200").endsWith("Successfully upload post\n");
        for (final int reader : new int[] {2, 3}) {
            final HttpResponse<String> r = http.get("/wrk2-api/home-timeline/read", "user_id=" + reader + "&start=0&stop=10");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            final JsonNode home = JSON.readTree(r.body());
            assertThat(home).hasSize(1);
            assertThat(home.get(0).get("text").asText()).matches("via nightcore @username_3 http://short-url/[a-zA-Z0-9]{10}");
        }
        final HttpResponse<String> own = http.get("/wrk2-api/user-timeline/read", "user_id=1&start=0&stop=10");
        assertThat(JSON.readTree(own.body()).get(0).get("media").get(0).get("media_id").asText()).isEqualTo("913463752091825432");

        // Not an assertion (the machine is shared): one warm compose and one warm read, median of the successes.
        final List<Long> compose = new ArrayList<>();
        final List<Long> read = new ArrayList<>();
        int failures = 0;
        String lastFailure = "";
        for (int i = 0; i < 21; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.post("/wrk2-api/post/compose",
                    "username=username_2&user_id=2&text=warm+%40username_1+http%3A%2F%2Fa.b&post_type=0");
            if (r.statusCode() == 200) {
                compose.add(System.nanoTime() - t0);
            } else {
                failures++;
                lastFailure = r.body().trim();
            }
            t0 = System.nanoTime();
            r = http.get("/wrk2-api/home-timeline/read", "user_id=1&start=0&stop=10");
            if (r.statusCode() == 200) {
                read.add(System.nanoTime() - t0);
            } else {
                failures++;
                lastFailure = r.body().trim();
            }
        }
        Collections.sort(compose);
        Collections.sort(read);
        System.out.printf("LATENCY nightcore/embedded compose median %d us (%d ok), home-timeline read (10 posts) median %d us"
                + " (%d ok), %d failed%s%n",
                compose.isEmpty() ? -1 : TimeUnit.NANOSECONDS.toMicros(compose.get(compose.size() / 2)), compose.size(),
                read.isEmpty() ? -1 : TimeUnit.NANOSECONDS.toMicros(read.get(read.size() / 2)), read.size(), failures,
                failures > 0 ? ", last: " + lastFailure : "");
    }
}
