package io.nightcorej.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One decoded HTTP request, as {@link HttpRequestParser} hands it to {@link GatewayHttpHandler}: what the gateway
 * routes on and the body, nothing else (header values other than the framing ones are never looked at, so they are
 * never turned into objects).
 *
 * <p>Three kinds: a normal request ({@link #malformed} and {@link #oversized} both unset), a malformed one (answer 400,
 * then close), and one whose body exceeds {@code maxPayloadBytes} (answer 413; {@link #keepAlive} says whether the
 * connection survives because the parser could skip the body). The receiver owns {@link #body} and releases it.
 */
final class GatewayRequest {

    final HttpMethod method;
    final String uri;
    final HttpVersion version;
    final boolean keepAlive;
    /** The body (empty buffer when none); owned by the receiver. */
    final ByteBuf body;
    /** Why the request could not be parsed, or null. */
    final String malformed;
    /** Whether the body was over the limit and was not read. */
    final boolean oversized;

    GatewayRequest(final HttpMethod method, final String uri, final HttpVersion version, final boolean keepAlive, final ByteBuf body,
                   final String malformed, final boolean oversized) {
        this.method = method;
        this.uri = uri;
        this.version = version;
        this.keepAlive = keepAlive;
        this.body = body;
        this.malformed = malformed;
        this.oversized = oversized;
    }
}
