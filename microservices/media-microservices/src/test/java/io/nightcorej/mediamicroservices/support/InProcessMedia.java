package io.nightcorej.mediamicroservices.support;

import io.nightcorej.mediamicroservices.MediaMicroservicesWorkload;
import io.nightcorej.mediamicroservices.service.ServiceNames;
import io.nightcorej.microservices.common.deploy.DefaultServiceEnvironment;
import io.nightcorej.microservices.common.deploy.Settings;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.http.HttpRequest;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedStorage;
import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: the whole workload in one JVM, wired as the function deployment wires it. Fresh embedded storage
 * (MongoDB driver, Jedis and spymemcached against the embedded servers on loopback sockets), every service's processor
 * (PageService too) built by {@link MediaMicroservicesWorkload#processor} and served through
 * {@link InProcessServiceClients} (Thrift over the SDK's function-call transport), the front end over the same clients.
 */
public final class InProcessMedia implements AutoCloseable {

    public final EmbeddedStorage storage;
    public final InProcessServiceClients clients = new InProcessServiceClients();
    public final DefaultServiceEnvironment env;
    public final Map<String, HttpEndpoint> endpoints;
    public final MediaMicroservicesWorkload workload = new MediaMicroservicesWorkload();

    /** Starts storage and every service. */
    public InProcessMedia() throws Exception {
        storage = EmbeddedStorage.start("127.0.0.1", 0, 0, 0);
        env = DefaultServiceEnvironment.withClients(new Settings(settings(storage)), clients);
        for (final String service : workload.services()) {
            clients.register(service, workload.processor(service, env));
        }
        clients.register(ServiceNames.PAGE, workload.processor(ServiceNames.PAGE, env));
        endpoints = workload.frontend(env);
    }

    /** @return the settings a deployment would pass for this storage. */
    public static Map<String, String> settings(final EmbeddedStorage storage) {
        final Map<String, String> settings = new LinkedHashMap<>(storage.settings());
        settings.put("workload", MediaMicroservicesWorkload.NAME);
        settings.put("storage.timeout.ms", "3000");
        return settings;
    }

    /** @return the endpoint's answer to a form POST ({@code fields} as name, value pairs; decoded values). */
    public HttpResponse form(final String path, final String... fields) throws Exception {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            params.put(fields[i], List.of(fields[i + 1]));
        }
        return endpoints.get(path).handle(new HttpRequest("POST", path, params, new byte[0]));
    }

    /** @return the endpoint's answer to a JSON POST. */
    public HttpResponse json(final String path, final String json) throws Exception {
        return endpoints.get(path).handle(new HttpRequest("POST", path, Map.of(), json.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the body as text. */
    public static String body(final HttpResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        env.close();
        storage.close();
    }
}
