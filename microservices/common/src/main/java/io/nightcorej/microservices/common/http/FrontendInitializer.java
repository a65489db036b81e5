package io.nightcorej.microservices.common.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The front end's pipeline: {@link HttpServerCodec} (request line ≤ 16 KiB, headers ≤ 16 KiB), an
 * {@link HttpObjectAggregator} bounded by {@code maxBodyBytes} (it answers 413 to a larger body, or to an
 * {@code Expect: 100-continue} announcing one), and the {@link FrontendHandler}.
 */
public final class FrontendInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 16 * 1024;

    private final Map<String, HttpEndpoint> endpoints;
    private final Executor workers;
    private final int maxBodyBytes;

    /**
     * @param endpoints    endpoints by exact path.
     * @param workers      the bounded pool the endpoints run on.
     * @param maxBodyBytes the largest accepted request body.
     */
    public FrontendInitializer(final Map<String, HttpEndpoint> endpoints, final Executor workers, final int maxBodyBytes) {
        this.endpoints = Map.copyOf(endpoints);
        this.workers = workers;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void initChannel(final SocketChannel ch) {
        ch.pipeline().addLast(
                new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192),
                new HttpObjectAggregator(maxBodyBytes),
                new FrontendHandler(endpoints, workers));
    }
}
