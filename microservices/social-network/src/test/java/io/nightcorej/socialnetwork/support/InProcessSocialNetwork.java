package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.http.HttpRequest;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.socialnetwork.SocialNetworkWorkload;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: all eleven services of the workload wired in-process over one {@link Storage}, plus the front-end
 * endpoints, called with parsed requests.
 */
public final class InProcessSocialNetwork {

    public final SocialNetworkWorkload workload = new SocialNetworkWorkload();
    public final InProcessServiceClients services = new InProcessServiceClients();
    public final TestEnvironment env;
    public final Map<String, HttpEndpoint> endpoints;

    /** Builds every processor over the storage. */
    public InProcessSocialNetwork(final Storage storage) throws Exception {
        this.env = TestEnvironment.of(storage, services);
        for (final String service : workload.services()) {
            services.register(service, workload.processor(service, env));
        }
        this.endpoints = workload.frontend(env);
    }

    /** Calls an endpoint with a form / query string, decoded like the front end does. */
    public HttpResponse request(final String method, final String path, final String form) throws Exception {
        final HttpEndpoint endpoint = endpoints.get(path);
        if (endpoint == null) {
            throw new IllegalArgumentException("no endpoint " + path);
        }
        return endpoint.handle(new HttpRequest(method, path, parse(form), form.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the body as a string. */
    public static String body(final HttpResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static Map<String, List<String>> parse(final String form) {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        if (form.isEmpty()) {
            return params;
        }
        for (final String pair : form.split("&")) {
            final int eq = pair.indexOf('=');
            final String k = eq < 0 ? pair : pair.substring(0, eq);
            final String v = eq < 0 ? "" : pair.substring(eq + 1);
            params.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
                    .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return params;
    }
}
