package io.nightcorej.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One HTTP request on a connection and, once known, its response. A connection answers its requests in the order they
 * arrived (HTTP/1.1 pipelining), so a response that is ready early waits in its exchange until those before it are
 * written.
 */
class Exchange {

    final GatewayHttpHandler handler;
    final long startNanos;
    final HttpVersion version;
    final boolean keepAlive;
    FunctionStats stats;
    /** Whether the request was HEAD: the response carries no body. */
    boolean head;
    /** The encoded response, once ready and until written. */
    ByteBuf response;

    Exchange(final GatewayHttpHandler handler, final long startNanos, final HttpVersion version, final boolean keepAlive,
             final FunctionStats stats) {
        this.handler = handler;
        this.startNanos = startNanos;
        this.version = version;
        this.keepAlive = keepAlive;
        this.stats = stats;
    }
}
