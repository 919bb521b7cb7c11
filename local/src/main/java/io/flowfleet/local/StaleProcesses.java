package io.flowfleet.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Servers and runtime processes left running by a JVM that was killed with SIGKILL (which skips
 * shutdown hooks): a later start in the same data directory stops them before it starts its own.
 */
final class StaleProcesses {

    private StaleProcesses() {
    }

    /**
     * Stops the process named in {@code pidFile} (first line) if it is still running {@code executable},
     * with SIGINT (PostgreSQL's fast shutdown: SIGTERM would wait for its clients to leave).
     */
    static void stop(Path pidFile, String executable) {
        long pid;
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return;
            }
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (IOException | NumberFormatException noPidFile) {
            return;
        }
        ProcessHandle.of(pid)
                .filter(process -> process.info().command().map(command -> command.contains(executable)).orElse(false))
                .ifPresent(process -> terminate(process, "INT"));
    }

    /** Stops every process whose command line contains {@code fragment} (e.g. a data directory's jar folder). */
    static void stopCommandsContaining(String fragment) {
        ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> process.info().commandLine().map(line -> line.contains(fragment)).orElse(false))
                .forEach(process -> terminate(process, "TERM"));
    }

    private static void terminate(ProcessHandle process, String signal) {
        System.err.println("flowfleet-local: stopping " + process.info().command().orElse("process") + " (pid "
                + process.pid() + ") left running by an earlier run");
        try {
            new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception notYet) {
            process.destroyForcibly();
            process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
        }
    }
}
