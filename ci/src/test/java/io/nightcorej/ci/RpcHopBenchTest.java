package io.nightcorej.ci;

import io.nightcorej.baselines.rpc.EchoProcessor;
import io.nightcorej.baselines.rpc.RpcServers;
import org.apache.thrift.server.TServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RpcHopBenchTest {
    @Test
    void measuresEchoCallsAgainstTheBaselineServerModel() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TServer server = RpcServers.create("selector", new EchoProcessor(), new InetSocketAddress("127.0.0.1", port), 2);
        Thread t = new Thread(server::serve);
        t.setDaemon(true);
        t.start();
        try {
            while (!server.isServing()) Thread.sleep(5);
            RpcHopBench.Result r = RpcHopBench.measure(port, 16, Duration.ofMillis(100), Duration.ofMillis(300));
            assertThat(r.calls()).isPositive();
            assertThat(r.p50Us()).isPositive().isLessThanOrEqualTo(r.p99Us());
        } finally {
            server.stop();
        }
    }
}
