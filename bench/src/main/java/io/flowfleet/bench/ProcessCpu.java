package io.flowfleet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * CPU time a process and its descendants have used, from /proc/PID/stat (Linux): user + system
 * time of the process and of every live descendant, plus what reaped children used (cutime,
 * cstime) — so Postgres counts its backends, including those that already exited.
 */
final class ProcessCpu {

    private static final double TICKS_PER_SECOND = clockTicks();

    private ProcessCpu() {
    }

    /** CPU seconds used so far by the process tree rooted at {@code pid}, or empty when it is gone. */
    static OptionalDouble treeSeconds(long pid) {
        OptionalDouble own = seconds(pid);
        if (own.isEmpty()) {
            return own;
        }
        double total = own.getAsDouble();
        for (ProcessHandle descendant : ProcessHandle.of(pid).map(handle -> handle.descendants().toList()).orElse(java.util.List.of())) {
            total += seconds(descendant.pid()).orElse(0);
        }
        return OptionalDouble.of(total);
    }

    /**
     * utime + stime of one process alone, in seconds: for a process whose children are measured
     * apart (the benchmark's JVM is the parent of app, workers, Redis and s3proxy).
     */
    static OptionalDouble ownSeconds(long pid) {
        try {
            return OptionalDouble.of(parseOwnTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException gone) {
            return OptionalDouble.empty();
        }
    }

    /** Fields 14-15 (utime, stime) of a /proc/PID/stat line. */
    static long parseOwnTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** utime + stime + cutime + cstime of one process, in seconds. */
    static OptionalDouble seconds(long pid) {
        try {
            return OptionalDouble.of(parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException gone) {
            return OptionalDouble.empty();
        }
    }

    /** Sum of fields 14-17 (utime, stime, cutime, cstime) of a /proc/PID/stat line. */
    static long parseTicks(String stat) {
        // Field 2 is the command in parentheses and may itself hold spaces and parentheses.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    private static double clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
