package io.nightcorej.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The gateway on real loopback sockets, with {@link EchoEngine} standing in for an engine. */
class GatewayServerTest {

    @Test
    void servesOverRealSocketsWithKeepAliveAndAbsoluteFormTargets() throws Exception {
        final GatewayServer.Context ctx = new GatewayServer.Context().httpPort(0).enginePort(0)
            .functions(List.of(new FunctionRoute("Echo", 7, false, false, 5000)));
        try (GatewayServer gw = GatewayServer.launch(ctx);
             EchoEngine engine = new EchoEngine("127.0.0.1", gw.enginePort(), 0)) {
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (gw.enginesConnected() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(gw.enginesConnected()).isEqualTo(1);
            try (Socket s = new Socket("127.0.0.1", gw.httpPort())) {
                final OutputStream out = s.getOutputStream();
                final InputStream in = s.getInputStream();
                for (int i = 0; i < 3; i++) {
                    final String req = "POST http://127.0.0.1:" + gw.httpPort() + "/function/Echo HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 5\r\n\r\nhell" + i;
                    out.write(req.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    final String resp = readResponse(in);
                    assertThat(resp).startsWith("HTTP/1.1 200 OK").endsWith("hell" + i);
                }
            }
            final HttpClient http = HttpClient.newHttpClient();
            final HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort()
                + "/stats")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(stats.body()).contains("\"Echo\":{\"calls\":3,\"status\":{\"200\":3}").contains("\"engines\":[{\"nodeId\":0");
        }
    }

    /** Reads one response with a content-length body. */
    private static String readResponse(final InputStream in) throws Exception {
        final StringBuilder sb = new StringBuilder();
        int contentLength = -1;
        while (!sb.toString().endsWith("\r\n\r\n")) {
            final int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        for (final String line : sb.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < contentLength; i++) {
            sb.append((char) in.read());
        }
        return sb.toString();
    }
}
