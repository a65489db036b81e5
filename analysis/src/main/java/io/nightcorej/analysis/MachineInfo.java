package io.nightcorej.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a result was measured on: cores, CPU model, kernel, JVM, memory and whether it is a virtual machine. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", cpuModel());
        m.put("kernel", firstLine(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version")));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("memory_total_kb", memTotalKb());
        m.put("virtualized", hypervisor());
        m.put("hostname", firstLine(Path.of("/proc/sys/kernel/hostname"), "unknown"));
        return m;
    }

    static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
        }
        return "unknown";
    }

    /** True when /proc/cpuinfo shows the {@code hypervisor} flag (the CPU reports it runs under a hypervisor). */
    static boolean hypervisor() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("flags")) return line.contains(" hypervisor");
        }
        return false;
    }

    private static long memTotalKb() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    private static String firstLine(Path file, String fallback) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? fallback : lines.get(0).strip();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
