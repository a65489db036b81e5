package io.nightcorej.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command lines for child JVMs that run {@code nightcore} subcommands: the same java binary as this JVM, Agrona's
 * {@code --add-exports}, and either {@code -jar nightcore.jar} (the shaded jar this class was loaded from) or, when
 * running from a build tree or test classpath, {@code -cp <this classpath> io.nightcorej.cli.NightcoreMain}.
 */
final class JvmCommand {

    static final String AGRONA_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Small-footprint defaults for the long-lived gateway and engine JVMs; override with NIGHTCORE_JVM_OPTS. */
    static final List<String> DEFAULT_OPTS = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx512m", "-Xss512k",
        "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=64m");

    private JvmCommand() {
    }

    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** @return the jar or classes directory holding this code. */
    static Path selfLocation() {
        try {
            return Path.of(JvmCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the shaded nightcore.jar when running from it, else null. */
    static Path selfJar() {
        final Path p = selfLocation();
        return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
    }

    /**
     * @return the classpath entries a function container needs to load classes that ship with nightcore (the
     *         examples, Nop, NopCaller): the shaded jar, or this JVM's classpath.
     */
    static List<String> selfClasspath() {
        final Path jar = selfJar();
        if (jar != null) {
            return List.of(jar.toString());
        }
        return Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
    }

    /** @return {@code java <opts> ... nightcore <args>}. */
    static List<String> nightcore(final List<String> args) {
        final List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary().toString());
        cmd.add(AGRONA_EXPORTS);
        final String env = System.getenv("NIGHTCORE_JVM_OPTS");
        if (env != null && !env.isBlank()) {
            cmd.addAll(Arrays.asList(env.trim().split("\\s+")));
        } else {
            cmd.addAll(DEFAULT_OPTS);
        }
        final Path jar = selfJar();
        if (jar != null) {
            cmd.add("-jar");
            cmd.add(jar.toString());
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(NightcoreMain.class.getName());
        }
        cmd.addAll(args);
        return cmd;
    }
}
