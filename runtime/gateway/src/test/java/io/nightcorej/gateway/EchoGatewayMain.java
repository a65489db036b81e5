package io.nightcorej.gateway;

import java.util.List;

/**
 * Gateway plus {@link EchoEngine} on fixed ports, to measure the gateway's own overhead with wrk:
 * {@code java -cp <test classpath> io.nightcorej.gateway.EchoGatewayMain 18090 18091}.
 */
public final class EchoGatewayMain {

    private EchoGatewayMain() {
    }

    public static void main(final String[] args) throws Exception {
        final GatewayServer.Context ctx = new GatewayServer.Context().httpPort(Integer.parseInt(args[0]))
            .enginePort(Integer.parseInt(args[1])).functions(List.of(new FunctionRoute("Bar", 2, false, false, 5000)));
        try (GatewayServer gw = GatewayServer.launch(ctx);
             EchoEngine engine = new EchoEngine("127.0.0.1", gw.enginePort(), 0)) {
            System.out.println("{\"http_port\":" + gw.httpPort() + "}");
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
