package io.nightcorej.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.nightcorej.launcher.LauncherMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code nightcore launcher ...}: a function container; every argument goes to the launcher unchanged. */
@Command(name = "launcher", description = "Run a function container (normally started by the engine); arguments are the launcher's.")
final class LauncherCommand implements Callable<Integer> {

    @Unmatched
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        LauncherMain.main(args.toArray(new String[0]));
        return 0;
    }
}
