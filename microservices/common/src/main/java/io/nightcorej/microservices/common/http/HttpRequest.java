package io.nightcorej.microservices.common.http;

import java.util.List;
import java.util.Map;

/**
 * A front-end request, already parsed: query parameters and form fields are decoded, and a form body that is not
 * percent-encoded (as DeathStarBench's wrk2 scripts send it) is accepted as it is.
 *
 * @param method the HTTP method, upper case.
 * @param path   the path without the query string (absolute-form targets are reduced to their path).
 * @param params query parameters and, for form bodies, form fields (a form field wins over a query parameter).
 * @param body   the raw body.
 */
public record HttpRequest(String method, String path, Map<String, List<String>> params, byte[] body) {

    /** @return the first value of a parameter, or null. */
    public String param(final String name) {
        final List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
