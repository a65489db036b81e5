package io.nightcorej.microservices.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.microservices.common.net.EventLoops;
import io.nightcorej.microservices.common.testidl.EchoException;
import io.nightcorej.microservices.common.testidl.EchoService;
import io.nightcorej.sdk.thrift.ThriftFunction;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thrift over HTTP to a tiny Netty "gateway" that serves {@code /function/EchoService} with the SDK's ThriftFunction,
 * exactly the message format the Nightcore gateway forwards.
 */
@Timeout(30)
class GatewayServiceClientsTest {

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean closeAfterEachResponse;
    private EventLoopGroup group;
    private Channel channel;
    private String url;

    @BeforeEach
    void start() throws InterruptedException {
        final ThriftFunction echo = new ThriftFunction(new EchoService.Processor<>(new EchoHandler()));
        group = EventLoops.group(1, "test-gateway");
        channel = new ServerBootstrap().group(group).channel(EventLoops.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest req)
                                            throws Exception {
                                        requests.incrementAndGet();
                                        final FullHttpResponse response;
                                        if ("/function/EchoService".equals(req.uri())) {
                                            final byte[] out = echo.call(null, ByteBufUtil.getBytes(req.content()));
                                            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.OK, Unpooled.wrappedBuffer(out));
                                        } else {
                                            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.NOT_FOUND, Unpooled.copiedBuffer(
                                                    "function not found: " + req.uri(), StandardCharsets.UTF_8));
                                        }
                                        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH,
                                                response.content().readableBytes());
                                        if (closeAfterEachResponse) {
                                            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                                        } else {
                                            ctx.writeAndFlush(response);
                                        }
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        url = "http://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @AfterEach
    void stop() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Test
    void callsGoThroughOneKeepAliveConnection() throws Exception {
        try (GatewayServiceClients clients = new GatewayServiceClients(url, 1000, 5000, 8)) {
            for (int i = 0; i < 50; i++) {
                try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                    assertThat(lease.client().Echo("m" + i)).isEqualTo("echo:m" + i);
                }
            }
            try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                assertThatThrownBy(() -> lease.client().Echo("fail")).isInstanceOf(EchoException.class);
            }
        }
        assertThat(requests.get()).isEqualTo(51);
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void aNon200IsATransportErrorWithStatusAndBody() {
        try (GatewayServiceClients clients = new GatewayServiceClients(url, 1000, 5000, 8)) {
            assertThatThrownBy(() -> {
                try (ClientLease<EchoService.Client> lease = clients.lease("NoSuchService", new EchoService.Client.Factory())) {
                    lease.client().Echo("x");
                }
            }).isInstanceOf(TTransportException.class).hasMessageContaining("HTTP 404")
                    .hasMessageContaining("function not found: /function/NoSuchService");
        }
    }

    @Test
    void aConnectionTheServerClosedIsReplacedTransparently() throws Exception {
        closeAfterEachResponse = true;
        try (GatewayServiceClients clients = new GatewayServiceClients(url, 1000, 5000, 8)) {
            for (int i = 0; i < 5; i++) {
                try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                    assertThat(lease.client().Echo("c" + i)).isEqualTo("echo:c" + i);
                }
                Thread.sleep(20);
            }
        }
        assertThat(requests.get()).isEqualTo(5);
    }

    @Test
    void anUnreachableGatewayFailsFast() {
        channel.close().awaitUninterruptibly();
        try (GatewayServiceClients clients = new GatewayServiceClients(url, 1000, 5000, 8)) {
            final long start = System.nanoTime();
            assertThatThrownBy(() -> {
                try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                    lease.client().Echo("x");
                }
            }).isInstanceOf(TTransportException.class).hasMessageContaining("cannot connect");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
        }
    }
}
