package io.nightcorej.protocol.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackConfigTest {

    private static final String CONTRACT_EXAMPLE = "{\n"
        + "  \"gateway\": {\"host\": \"127.0.0.1\", \"httpPort\": 8080, \"enginePort\": 10007, \"maxRunningRequests\": 48,\n"
        + "              \"maxQueuedRequests\": 4096, \"maxPayloadBytes\": 16777216, \"defaultTimeoutMs\": 10000, \"ioThreads\": 1},\n"
        + "  \"engine\":  {\"ipcRoot\": \"/dev/shm/nightcore-j\", \"nodeId\": 0, \"channel\": \"fifo\", \"gatewayConnections\": 2,\n"
        + "              \"ioThreads\": 1},\n"
        + "  \"functions\": [\n"
        + "    {\"name\": \"Foo\", \"id\": 1, \"minWorkers\": 2, \"maxWorkers\": 8, \"handler\": \"io.nightcorej.examples.Foo\",\n"
        + "     \"classpath\": [\"target/nightcore-examples.jar\"], \"isolation\": \"auto\", \"allowHttpGet\": false,\n"
        + "     \"qsAsInput\": false, \"timeoutMs\": 10000, \"jvmArgs\": [], \"settings\": {}}\n"
        + "  ]\n"
        + "}";

    @Test
    void loadsTheContractExampleAndResolvesClasspathAgainstTheFile(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("stack.json");
        Files.writeString(file, CONTRACT_EXAMPLE);
        final StackConfig config = StackConfig.load(file);
        assertThat(config.gateway().enginePort()).isEqualTo(10007);
        assertThat(config.engine().channel()).isEqualTo("fifo");
        final FunctionConfig foo = config.function("Foo");
        assertThat(foo.id()).isEqualTo(1);
        assertThat(foo.classpath()).containsExactly(dir.resolve("target/nightcore-examples.jar").toString());
        // What toJson writes parses back to the same values.
        final StackConfig again = StackConfig.parse(config.toJson(), dir);
        assertThat(again.function("Foo").classpath()).isEqualTo(foo.classpath());
    }

    @Test
    void everyKeyButNameIdHandlerHasADefault() {
        final StackConfig config = StackConfig.parse("{\"functions\":[{\"name\":\"Bar\",\"id\":2,\"handler\":\"x.Bar\"}]}",
            Path.of("/tmp"));
        assertThat(config.gateway().httpPort()).isEqualTo(8080);
        assertThat(config.engine().ipcRoot()).isEqualTo("/dev/shm/nightcore-j");
        assertThat(config.function("Bar").maxWorkers()).isEqualTo(8);
        assertThat(config.function("Bar").timeoutMs()).isEqualTo(10_000);
        assertThat(config.function("Bar").settings()).isEmpty();
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> StackConfig.parse("{\"engine\":{\"chanel\":\"fifo\"}}", Path.of(".")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key \"engine.chanel\"");
        assertThatThrownBy(() -> StackConfig.parse("{\"functions\":[{\"name\":\"A\",\"id\":1,\"handler\":\"h\",\"bogus\":1}]}",
            Path.of("."))).hasMessageContaining("functions[0].bogus");
    }

    @Test
    void missingRequiredKeysAndBadValuesAreAllReported() {
        assertThatThrownBy(() -> StackConfig.parse("{\"engine\":{\"channel\":\"tcp\"},\"functions\":[{\"minWorkers\":3,"
            + "\"maxWorkers\":1,\"isolation\":\"vm\"},{\"name\":\"A\",\"id\":70000,\"handler\":\"h\"}]}", Path.of(".")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("engine.channel")
            .hasMessageContaining("functions[0].name: required")
            .hasMessageContaining("functions[0].id: required")
            .hasMessageContaining("functions[0].handler: required")
            .hasMessageContaining("functions[0].maxWorkers")
            .hasMessageContaining("functions[0].isolation")
            .hasMessageContaining("functions[1].id: 70000");
    }

    @Test
    void duplicateNamesAndIdsAreRejected() {
        assertThatThrownBy(() -> StackConfig.parse("{\"functions\":[{\"name\":\"A\",\"id\":1,\"handler\":\"h\"},"
            + "{\"name\":\"A\",\"id\":1,\"handler\":\"h\"}]}", Path.of(".")))
            .hasMessageContaining("functions[1].name: \"A\" is also functions[0].name")
            .hasMessageContaining("functions[1].id: 1 is also functions[0].id");
    }

    @Test
    void malformedJsonAndWrongTypesGiveClearErrors() {
        assertThatThrownBy(() -> StackConfig.parse("{\"gateway\": ", Path.of(".")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> StackConfig.parse("{\"gateway\":{\"httpPort\":\"eighty\"}}", Path.of(".")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.httpPort");
        assertThatThrownBy(() -> StackConfig.load(Path.of("/nonexistent/stack.json")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read");
    }
}
