package io.nightcorej.isolation;

import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures the wall time from {@link IsolationBackend#start} to exit of {@code java -version} (JVM start) and of
 * {@code /usr/bin/true} (the sandbox's own fixed cost) in every available backend, interleaved so machine noise hits all
 * backends alike. Usage: {@code java -cp nightcore-isolation.jar io.nightcorej.isolation.StartTimeBench [runs]}.
 * Prints a table, then one JSON line with the medians in ms.
 */
public final class StartTimeBench {
    private StartTimeBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<IsolationBackend> backends = new ArrayList<>();
        for (String mode : new String[] {"process", "bwrap", "crun"}) {
            try {
                backends.add(Isolation.select(mode));
            } catch (IllegalStateException e) {
                System.out.println("# " + mode + " skipped: " + e.getMessage());
            }
        }
        Map<String, List<String>> programs = new LinkedHashMap<>();
        programs.put("java-version", List.of(Isolation.javaExecutable(), "-version"));
        programs.put("true", List.of("/usr/bin/true"));
        Map<String, double[]> samples = new LinkedHashMap<>();
        for (int i = -3; i < runs; i++) {
            for (var prog : programs.entrySet()) {
                for (IsolationBackend b : backends) {
                    ContainerSpec spec = ContainerSpec.builder().command(prog.getValue())
                        .stdout(Redirect.DISCARD).stderr(Redirect.DISCARD).build();
                    long t0 = System.nanoTime();
                    Process p = b.start(spec);
                    p.getOutputStream().close();
                    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        throw new IllegalStateException(b.name() + " " + prog.getKey() + " failed");
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (i >= 0) samples.computeIfAbsent(b.name() + ":" + prog.getKey(), k -> new double[runs])[i] = ms;
                }
            }
        }
        StringBuilder json = new StringBuilder("{\"runs\":").append(runs);
        System.out.printf("%-22s %9s %9s %9s%n", "backend:program", "p50 ms", "min ms", "max ms");
        for (var e : samples.entrySet()) {
            double[] s = e.getValue().clone();
            Arrays.sort(s);
            double median = s[s.length / 2];
            System.out.printf("%-22s %9.1f %9.1f %9.1f%n", e.getKey(), median, s[0], s[s.length - 1]);
            json.append(",\"").append(e.getKey().replace(':', '_').replace('-', '_')).append("_p50_ms\":")
                .append(String.format("%.1f", median));
        }
        System.out.println(json.append('}'));
    }
}
