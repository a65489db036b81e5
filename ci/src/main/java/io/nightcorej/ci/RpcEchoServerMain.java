package io.nightcorej.ci;

import io.nightcorej.baselines.rpc.EchoProcessor;
import io.nightcorej.baselines.rpc.RpcServers;
import org.apache.thrift.server.TServer;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The RPC side of the hop benchmark, run as its own process like an RPC baseline service: the baseline's own
 * server model ({@link RpcServers} {@code selector}: TThreadedSelectorServer, framed, binary protocol) serving the
 * baseline's {@link EchoProcessor} on 127.0.0.1. Prints {@code {"port":N}} last when listening; exits when its
 * stdin closes, so it never outlives the gate.
 *
 * <p>Usage: {@code RpcEchoServerMain [workers]}.
 */
public final class RpcEchoServerMain {
    private RpcEchoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TServer server = RpcServers.create("selector", new EchoProcessor(), new InetSocketAddress("127.0.0.1", port),
            workers);
        Thread serving = new Thread(server::serve, "rpc-echo-server");
        serving.setDaemon(true);
        serving.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!server.isServing() && System.nanoTime() < deadline) Thread.sleep(10);
        if (!server.isServing()) {
            System.err.println("rpc echo server did not start within 10 s");
            System.exit(1);
        }
        System.out.println("{\"port\":" + port + "}");
        System.out.flush();
        while (System.in.read() >= 0) {
            // Serve until the parent closes stdin (or dies).
            continue;
        }
        server.stop();
    }
}
