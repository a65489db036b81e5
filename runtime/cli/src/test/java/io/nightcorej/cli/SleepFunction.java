package io.nightcorej.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionContext;

/**
 * Test function: input {@code "<ms>"} sleeps that long and echoes; {@code "pid:<ms>"} first writes its container's pid
 * to the file named by setting {@code pidFile}, so a test can SIGKILL the container mid-call.
 */
public final class SleepFunction implements Function {

    private Path pidFile;

    @Override
    public void init(final Map<String, String> settings) {
        final String p = settings.get("pidFile");
        pidFile = p == null ? null : Path.of(p);
    }

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) throws Exception {
        String s = new String(input, StandardCharsets.UTF_8).trim();
        if (s.startsWith("pid:")) {
            s = s.substring(4);
            final Path tmp = Path.of(pidFile + ".tmp");
            Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
            Files.move(tmp, pidFile);
        }
        Thread.sleep(Long.parseLong(s));
        return input;
    }
}
