package io.nightcorej.microservices.common.http;

import java.nio.charset.StandardCharsets;

/**
 * A front-end response.
 *
 * @param status      the HTTP status.
 * @param contentType the content type.
 * @param body        the body.
 */
public record HttpResponse(int status, String contentType, byte[] body) {

    /** @return a text/plain response. */
    public static HttpResponse text(final int status, final String text) {
        return new HttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return an application/json response. */
    public static HttpResponse json(final int status, final String json) {
        return new HttpResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
}
