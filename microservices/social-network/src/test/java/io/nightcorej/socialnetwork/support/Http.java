package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.testsupport.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Test fixture: HTTP requests against a running front end. */
public final class Http {

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param base the front end's base URL. */
    public Http(final String base) {
        this.base = base;
    }

    /** POSTs a form body as given (not encoded here). */
    public HttpResponse<String> post(final String path, final String form) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs path?query. */
    public HttpResponse<String> get(final String path, final String query) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path + "?" + query)).timeout(Duration.ofSeconds(20))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends one raw HTTP/1.1 request the way wrk2's Lua scripts do: absolute-form target, body not percent-encoded.
     *
     * @return the raw response (status line, headers, body).
     */
    public String raw(final String method, final String path, final String body) throws Exception {
        final URI uri = URI.create(base);
        final byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(base, method + " " + base + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + payload.length
                + "\r\nConnection: close\r\n\r\n", payload);
    }
}
