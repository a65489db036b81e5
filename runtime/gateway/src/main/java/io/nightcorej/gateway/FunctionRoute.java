package io.nightcorej.gateway;

/**
 * One configured function as the gateway sees it: how HTTP may reach it and how long a call may take.
 *
 * @param name         the name in {@code /function/<name>}.
 * @param id           the wire id sent to engines in {@code DISPATCH_FUNC_CALL}.
 * @param allowHttpGet whether {@code GET /function/<name>} is accepted (otherwise only POST).
 * @param qsAsInput    whether the query string (of a GET or a POST) becomes the input as a flat JSON object of strings,
 *                     instead of the body.
 * @param timeoutMs    the call's deadline, measured from receipt of the HTTP request.
 */
public record FunctionRoute(String name, int id, boolean allowHttpGet, boolean qsAsInput, long timeoutMs) {

    /**
     * @throws IllegalArgumentException on an empty name, a name with '/', an id outside u16 or a non-positive timeout.
     */
    public FunctionRoute {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('?') >= 0) {
            throw new IllegalArgumentException("function name must be non-empty without '/' or '?': " + name);
        }
        if (id < 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("function id of " + name + " must fit in u16: " + id);
        }
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs of " + name + " must be > 0: " + timeoutMs);
        }
    }
}
