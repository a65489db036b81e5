package io.nightcorej.ipc.bench;

import io.nightcorej.ipc.IpcLayout;
import io.nightcorej.ipc.MessageChannel;
import io.nightcorej.ipc.MessageReceiver;
import io.nightcorej.ipc.MessageSender;
import io.nightcorej.protocol.Message;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Round-trip latency of one 1024-byte message over each channel kind: the benchmark thread sends a message to an
 * echo thread over channel "ping" and waits for it to come back over channel "pong". This is one engine-worker hop
 * each way, the unit an internal call pays four times.
 *
 * <pre>
 * java -jar runtime/ipc/target/ipc-benchmarks.jar ChannelRoundTrip -p kind=FIFO,SHM
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class ChannelRoundTripBenchmark {

    @Param({"FIFO", "SHM"})
    public MessageChannel kind;

    @Param({"50"})
    public int spinMicros;

    private IpcLayout layout;
    private MessageSender ping;
    private MessageReceiver pong;
    private MessageReceiver echoIn;
    private MessageSender echoOut;
    private Thread echo;
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[Message.LENGTH]);
    private final UnsafeBuffer in = new UnsafeBuffer(new byte[Message.LENGTH]);
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        layout = new IpcLayout(Files.createTempDirectory(Path.of("/dev/shm"), "ipc-bench"));
        layout.recreate();
        final Path pingPath = layout.channel(kind, "ping");
        final Path pongPath = layout.channel(kind, "pong");
        kind.create(pingPath);
        kind.create(pongPath);
        echoIn = kind.openReceiver(pingPath, spinMicros);
        pong = kind.openReceiver(pongPath, spinMicros);
        ping = kind.openSender(pingPath);
        echoOut = kind.openSender(pongPath);
        echo = new Thread(() -> {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Message.LENGTH]);
            try {
                while (echoIn.receive(buffer, 0)) {
                    echoOut.send(buffer, 0);
                }
            } catch (final Exception e) {
                e.printStackTrace();
            }
        }, "echo");
        echo.setDaemon(true);
        echo.start();
        new Message().wrap(out, 0).clearHeader().type(Message.DISPATCH_FUNC_CALL).payloadSize(5);
    }

    @Benchmark
    public long roundTrip() throws Exception {
        out.putLong(Message.CALL_ID_OFFSET, ++sequence);
        ping.send(out, 0);
        if (!pong.receive(in, 0) || in.getLong(Message.CALL_ID_OFFSET) != sequence) {
            throw new IllegalStateException("lost or reordered message " + sequence);
        }
        return sequence;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        echoIn.close();
        echo.join(5000);
        pong.close();
        ping.close();
        echoOut.close();
        layout.deleteAll();
    }
}
