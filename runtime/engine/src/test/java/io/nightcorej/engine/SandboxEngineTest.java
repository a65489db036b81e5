package io.nightcorej.engine;

import io.nightcorej.engine.fixtures.TestFunctions;
import io.nightcorej.isolation.Isolation;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Function containers in a namespace sandbox still reach the engine through the shared IPC directory. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxEngineTest {

    @Test
    void sandboxedContainersServeInternalCallsAndLargePayloads() throws Exception {
        final boolean required = "1".equals(System.getenv("NIGHTCORE_REQUIRE_SANDBOX"));
        final boolean available = Isolation.sandbox().isPresent();
        assumeTrue(available || required, () -> "skipped: no sandbox can run here (" + Isolation.sandboxUnavailableReason()
            + "); set NIGHTCORE_REQUIRE_SANDBOX=1 to make this a failure");
        final StackConfig config = new StackConfig();
        config.engine().channel("shm").spinMicros(20);
        config.addFunction(new FunctionConfig().name("Echo").id(1).minWorkers(1).maxWorkers(2)
            .handler(TestFunctions.Echo.class.getName()).isolation("sandbox"));
        config.addFunction(new FunctionConfig().name("Caller").id(2).minWorkers(1).maxWorkers(1)
            .handler(TestFunctions.Caller.class.getName()).isolation("sandbox"));
        try (Engine engine = Engine.launchEmbedded(config.conclude())) {
            assertThat(engine.awaitWorkers("Echo", 1, 60_000)).as("Echo started in a sandbox").isTrue();
            assertThat(engine.awaitWorkers("Caller", 1, 60_000)).as("Caller started in a sandbox").isTrue();
            final byte[] out = engine.call("Caller", "sync:boxed".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("Echo said: boxed");
            final byte[] big = engine.call("Caller", ("size:" + 4 * 1024 * 1024).getBytes(StandardCharsets.UTF_8))
                .get(30, TimeUnit.SECONDS);
            assertThat(new String(big, StandardCharsets.UTF_8)).isEqualTo("ok 4194304");
        }
    }
}
