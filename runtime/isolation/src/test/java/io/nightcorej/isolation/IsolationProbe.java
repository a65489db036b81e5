package io.nightcorej.isolation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The program the isolation tests run inside each backend. It reports what it can see and touch, one
 * {@code key=value} per line on stdout, then exits, or (with {@code sleep}) starts a child and waits to be killed.
 *
 * <p>Arguments: {@code RW_DIR HOST_ONLY_PATH [sleep]}. It reads {@code RW_DIR/in.txt} (written by the host) and writes
 * {@code RW_DIR/out.txt} = the same text + {@code " back"}, proving the directory shared with the engine round-trips.
 */
public final class IsolationProbe {
    private IsolationProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path rw = Path.of(args[0]);
        Path hostOnly = Path.of(args[1]);
        System.out.println("pid=" + ProcessHandle.current().pid());
        System.out.println("pidns=" + Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
        System.out.println("netns=" + Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
        System.out.println("hostname=" + Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
        System.out.println("rootWritable=" + canCreate(Path.of("/nc-probe-" + ProcessHandle.current().pid())));
        System.out.println("usrWritable=" + canCreate(Path.of("/usr/nc-probe-" + ProcessHandle.current().pid())));
        System.out.println("tmpWritable=" + canCreate(Path.of("/tmp/nc-probe-" + ProcessHandle.current().pid())));
        System.out.println("hostOnlyVisible=" + Files.exists(hostOnly));
        String in = Files.readString(rw.resolve("in.txt"), StandardCharsets.UTF_8);
        Files.writeString(rw.resolve("out.txt"), in + " back", StandardCharsets.UTF_8);
        System.out.println("roundTrip=done");
        if (args.length > 2 && args[2].equals("sleep")) {
            Process child = new ProcessBuilder("sleep", "600").start();
            System.out.println("child=" + child.pid());
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(600_000);
        }
        System.out.flush();
    }

    private static boolean canCreate(Path p) {
        try {
            Files.createFile(p);
            Files.delete(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
