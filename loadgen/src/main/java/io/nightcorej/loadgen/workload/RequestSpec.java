package io.nightcorej.loadgen.workload;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One HTTP request as a workload script would hand it to {@code wrk.format(method, path, headers, body)}.
 *
 * <p>{@code pathAndQuery} is origin-form ({@code /wrk2-api/...?...}); the engine turns it into the request target
 * (absolute-form {@code http://host:port/...} like the Lua scripts, or origin-form) when it encodes the bytes.
 * The body is sent exactly as given: the DeathStarBench scripts do not percent-encode form bodies, so raw
 * {@code @ : / [ ] " ,} appear in them, and so they do here.
 *
 * @param operation short label of the operation (e.g. {@code compose-post}), used for per-operation counts.
 * @param method HTTP method.
 * @param pathAndQuery origin-form path with query string.
 * @param headers extra headers as name/value pairs, in order (Host and Content-Length are added by the encoder).
 * @param body request body, or {@code null} for none (then no Content-Length is sent, as wrk.format does).
 */
public record RequestSpec(String operation, String method, String pathAndQuery, List<String[]> headers, String body) {

    /** The form content type the scripts set. */
    public static final String FORM = "application/x-www-form-urlencoded";

    /** Validates the fields. */
    public RequestSpec {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        headers = List.copyOf(headers);
    }

    /**
     * The value of a header set by the generator.
     *
     * @param name header name (case-insensitive).
     * @return its value or {@code null}.
     */
    public String header(final String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /**
     * Encodes the request as HTTP/1.1 bytes the way {@code wrk.format} does: request line, Host, the generator's
     * headers, Content-Length when there is a body, blank line, body.
     *
     * @param targetPrefix prepended to {@link #pathAndQuery()}: {@code "http://host:port"} for absolute-form (what the
     *                     scripts send) or {@code ""} for origin-form.
     * @param host value of the Host header ({@code host:port}).
     * @return the bytes to write on the connection.
     */
    public byte[] encode(final String targetPrefix, final String host) {
        final byte[] bodyBytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        final StringBuilder sb = new StringBuilder(128 + (bodyBytes == null ? 0 : 0));
        sb.append(method).append(' ').append(targetPrefix).append(pathAndQuery).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append("\r\n");
        for (String[] h : headers) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (bodyBytes != null) {
            sb.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
        }
        sb.append("\r\n");
        final byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (bodyBytes == null) {
            return head;
        }
        final byte[] all = new byte[head.length + bodyBytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bodyBytes, 0, all, head.length, bodyBytes.length);
        return all;
    }
}
