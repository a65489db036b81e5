package io.nightcorej.engine;

import io.nightcorej.engine.fixtures.TestFunctions;
import io.nightcorej.protocol.GatewayMessage;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import io.nightcorej.sdk.FunctionCallException.Status;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's side of the gateway protocol, against a minimal gateway written here on a real loopback socket. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayLinkTest {

    private static final class Frame {
        final GatewayMessage header;
        final byte[] payload;

        Frame(final GatewayMessage header, final byte[] payload) {
            this.header = header;
            this.payload = payload;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static Frame read(final DataInputStream in) throws Exception {
        final byte[] header = new byte[GatewayMessage.HEADER_LENGTH];
        in.readFully(header);
        final GatewayMessage msg = new GatewayMessage().wrap(new UnsafeBuffer(header), 0);
        msg.validate(1 << 24);
        final byte[] payload = new byte[msg.payloadSize()];
        in.readFully(payload);
        return new Frame(msg, payload);
    }

    private static void write(final OutputStream out, final int type, final int functionId, final long callId,
                              final long time, final byte[] payload) throws Exception {
        final byte[] frame = new byte[GatewayMessage.HEADER_LENGTH + payload.length];
        new GatewayMessage().wrap(new UnsafeBuffer(frame), 0).clear().type(type).functionId(functionId).callId(callId)
            .time(time).payloadSize(payload.length);
        System.arraycopy(payload, 0, frame, GatewayMessage.HEADER_LENGTH, payload.length);
        out.write(frame);
        out.flush();
    }

    @Test
    void servesDispatchAndStatsAndReconnectsWhenTheGatewayGoesAway() throws Exception {
        try (ServerSocket gateway = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            gateway.setSoTimeout(60_000);
            final StackConfig config = new StackConfig();
            config.engine().gatewayConnections(1).nodeId(3).maxPayloadBytes(3_000_000);
            config.addFunction(new FunctionConfig().name("Echo").id(7).minWorkers(1).maxWorkers(2)
                .handler(TestFunctions.Echo.class.getName()).isolation("process"));
            final Path root = Path.of("/dev/shm/nightcore-j-gwtest-" + ProcessHandle.current().pid());
            try (Engine engine = Engine.launch(Engine.Context.fromConfig(config.conclude()).ipcRoot(root)
                .gatewayHost("127.0.0.1").gatewayPort(gateway.getLocalPort()).shutdownHook(false))) {
                assertThat(engine.awaitWorkers("Echo", 1, 60_000)).isTrue();
                try (Socket conn = gateway.accept()) {
                    final DataInputStream in = new DataInputStream(conn.getInputStream());
                    final OutputStream out = conn.getOutputStream();
                    final Frame hello = read(in);
                    assertThat(hello.header.type()).isEqualTo(GatewayMessage.ENGINE_HANDSHAKE);
                    assertThat(hello.text()).isEqualTo("{\"nodeId\":3,\"connId\":0}");

                    write(out, GatewayMessage.DISPATCH_FUNC_CALL, 7, 1001, 0, "ping".getBytes(StandardCharsets.UTF_8));
                    final Frame done = read(in);
                    assertThat(done.header.type()).isEqualTo(GatewayMessage.FUNC_CALL_COMPLETE);
                    assertThat(done.header.callId()).isEqualTo(1001);
                    assertThat(done.text()).isEqualTo("ping");

                    final byte[] big = TestFunctions.pattern(2_000_000);
                    write(out, GatewayMessage.DISPATCH_FUNC_CALL, 7, 1002, 0, big);
                    final Frame bigDone = read(in);
                    assertThat(bigDone.header.callId()).isEqualTo(1002);
                    assertThat(bigDone.payload).isEqualTo(big);

                    write(out, GatewayMessage.DISPATCH_FUNC_CALL, 99, 1003, 0, new byte[0]);
                    final Frame unknown = read(in);
                    assertThat(unknown.header.type()).isEqualTo(GatewayMessage.FUNC_CALL_FAILED);
                    assertThat(unknown.header.status()).isEqualTo(Status.NOT_FOUND.code());

                    write(out, GatewayMessage.DISPATCH_FUNC_CALL, 7, 1004, 100_000, "sleep:1000".getBytes(StandardCharsets.UTF_8));
                    final Frame late = read(in);
                    assertThat(late.header.callId()).isEqualTo(1004);
                    assertThat(late.header.status()).isEqualTo(Status.TIMEOUT.code());

                    write(out, GatewayMessage.DISPATCH_FUNC_CALL, 7, 1005, 0, new byte[3_500_000]);
                    final Frame tooLarge = read(in);
                    assertThat(tooLarge.header.callId()).isEqualTo(1005);
                    assertThat(tooLarge.header.status()).isEqualTo(Status.PAYLOAD_TOO_LARGE.code());

                    // Many frames in one TCP write (the engine reads them in batches): sizes from 0 to 70 KB, so frames
                    // straddle and exceed the engine's 64 KiB read buffer, plus a refused one in the middle.
                    final java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
                    final java.util.Map<Long, byte[]> sent = new java.util.HashMap<>();
                    for (int i = 0; i < 60; i++) {
                        final long id = 2000 + i;
                        final byte[] p = i == 30 ? new byte[3_100_000] : TestFunctions.pattern(i % 7 == 0 ? 70_000 + i : i * 37);
                        final byte[] frame = new byte[GatewayMessage.HEADER_LENGTH + p.length];
                        new GatewayMessage().wrap(new UnsafeBuffer(frame), 0).clear().type(GatewayMessage.DISPATCH_FUNC_CALL)
                            .functionId(7).callId(id).payloadSize(p.length);
                        System.arraycopy(p, 0, frame, GatewayMessage.HEADER_LENGTH, p.length);
                        burst.write(frame);
                        sent.put(id, p);
                    }
                    out.write(burst.toByteArray());
                    out.flush();
                    for (int i = 0; i < 60; i++) {
                        final Frame answer = read(in);
                        final long id = answer.header.callId();
                        assertThat(sent).containsKey(id);
                        if (id == 2030) {
                            assertThat(answer.header.status()).isEqualTo(Status.PAYLOAD_TOO_LARGE.code());
                        } else {
                            assertThat(answer.header.type()).as("call " + id).isEqualTo(GatewayMessage.FUNC_CALL_COMPLETE);
                            assertThat(answer.payload).as("call " + id).isEqualTo(sent.get(id));
                        }
                        sent.remove(id);
                    }
                    assertThat(sent).isEmpty();

                    // The connection is still in sync after the refused payload.
                    write(out, GatewayMessage.STATS_REQUEST, 0, 5, 0, new byte[0]);
                    final Frame stats = read(in);
                    assertThat(stats.header.type()).isEqualTo(GatewayMessage.STATS_REPLY);
                    assertThat(stats.header.callId()).isEqualTo(5);
                    assertThat(stats.text()).startsWith("{\"nodeId\":3,\"functions\":{\"Echo\":{\"calls\":");
                }
                // The gateway dropped the connection: the engine comes back and introduces itself again.
                try (Socket again = gateway.accept()) {
                    final Frame hello = read(new DataInputStream(again.getInputStream()));
                    assertThat(hello.header.type()).isEqualTo(GatewayMessage.ENGINE_HANDSHAKE);
                }
            }
        }
    }
}
