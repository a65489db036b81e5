package io.nightcorej.launcher;

import java.nio.file.Path;

/**
 * The function container process. Started by the engine (or by hand with {@code bin/nightcore launcher}) as
 *
 * <pre>
 * java ... -cp &lt;launcher + function classpath&gt; io.nightcorej.launcher.LauncherMain --ipc-root DIR --function-id N
 * </pre>
 *
 * It connects to {@code DIR/engine.sock}, receives its function's config in the handshake, loads and initialises the
 * handler, and then hosts as many workers (threads) as the engine asks for. It exits when the engine says SHUTDOWN or
 * its control connection ends (the engine died), so a container never outlives its engine.
 */
public final class LauncherMain {

    private LauncherMain() {
    }

    public static void main(final String[] args) {
        String ipcRoot = System.getenv("NIGHTCORE_IPC_ROOT");
        int functionId = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ipc-root":
                    ipcRoot = value(args, ++i);
                    break;
                case "--function-id":
                    functionId = Integer.parseInt(value(args, ++i));
                    break;
                case "--help":
                case "-h":
                    System.out.println("usage: LauncherMain --ipc-root DIR --function-id N");
                    return;
                default:
                    System.err.println("nightcore launcher: unknown argument " + args[i]);
                    System.exit(64);
            }
        }
        if (ipcRoot == null || functionId < 1) {
            System.err.println("nightcore launcher: --ipc-root DIR and --function-id N (1..65535) are required");
            System.exit(64);
        }
        int code;
        try {
            code = new ContainerRuntime(Path.of(ipcRoot), functionId).run();
        } catch (final Throwable t) {
            System.err.println("nightcore launcher for function " + functionId + " failed: " + t);
            t.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private static String value(final String[] args, final int i) {
        if (i >= args.length) {
            System.err.println("nightcore launcher: " + args[i - 1] + " needs a value");
            System.exit(64);
        }
        return args[i];
    }
}
