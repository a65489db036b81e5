package io.nightcorej.microservices.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.microservices.common.testsupport.StoreServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * StorageServerMain as a process: prints the addresses as its last line, the stores work against them, and SIGTERM
 * stops it together with the redis-server and memcached it spawned.
 */
class StorageServerMainTest {

    private static final Pattern JSON = Pattern.compile(
            "\\{\"mongo\":\"(mongodb://[^\"]+)\",\"redis\":\"([^\"]+)\",\"memcached\":\"([^\"]+)\",\"mode\":\"(\\w+)\"}");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    @Timeout(60)
    void printsAddressesServesAndStopsItsChildrenOnSigterm(final String mode) throws Exception {
        if ("real".equals(mode)) {
            StoreServer.requireBinary("redis-server");
            StoreServer.requireBinary("memcached");
        }
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                StorageServerMain.class.getName(), "--mode", mode))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            Matcher m = null;
            String line;
            while ((line = out.readLine()) != null) {
                m = JSON.matcher(line);
                if (m.matches()) {
                    break;
                }
            }
            assertThat(m).isNotNull();
            assertThat(m.matches()).as("JSON line").isTrue();
            assertThat(m.group(4)).isEqualTo(mode);
            final List<ProcessHandle> children = process.children().toList();
            assertThat(children).hasSize("real".equals(mode) ? 2 : 0);
            try (MongoDocumentStore docs = new MongoDocumentStore(m.group(1), 5000);
                 JedisSortedSetStore sets = new JedisSortedSetStore(m.group(2), 5000);
                 SpyCacheStore cache = new SpyCacheStore(m.group(3), 5000)) {
                docs.insert("t", new org.bson.Document("k", 1));
                assertThat(docs.findOne("t", com.mongodb.client.model.Filters.eq("k", 1))).isPresent();
                sets.add("z", List.of(new SortedSetStore.Entry("m", 1)));
                assertThat(sets.size("z")).isEqualTo(1);
                cache.set("c", new byte[] {1}, 0);
                assertThat(cache.get("c")).containsExactly(1);
            }
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            for (final ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as(child.info().command().orElse("child")).isFalse();
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(60)
    void aBadModeIsAUsageError() throws Exception {
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                StorageServerMain.class.getName(), "--mode", "cloud")).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("--mode must be embedded or real");
    }
}
