package io.nightcorej.engine;

import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionCallException.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A function whose handler cannot be loaded fails its calls with the reason instead of letting them hang. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadHandlerTest {

    @Test
    void callsToAFunctionWhoseHandlerCannotLoadFailWithTheReason() throws Exception {
        final StackConfig config = new StackConfig();
        config.addFunction(new FunctionConfig().name("Broken").id(1).minWorkers(1).maxWorkers(1)
            .handler("io.nightcorej.no.such.Handler").isolation("process").timeoutMs(60_000));
        try (Engine engine = Engine.launchEmbedded(config.conclude())) {
            final long start = System.nanoTime();
            final Throwable thrown = catchThrowable(() -> engine.call("Broken", new byte[0]).get(60, TimeUnit.SECONDS));
            assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(FunctionCallException.class);
            final FunctionCallException e = (FunctionCallException) thrown.getCause();
            assertThat(e.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(e.getMessage()).contains("io.nightcorej.no.such.Handler");
            // Well before the call's own 60 s deadline.
            assertThat((System.nanoTime() - start) / 1_000_000_000L).isLessThan(30);
        }
    }
}
