package io.flowfleet.bench;

import io.flowfleet.local.LocalPlatform;
import io.flowfleet.local.RuntimeProcess;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CPU seconds of the platform's processes, grouped (app, workers, postgres, redis, s3), for CPU per run. */
final class CpuMeter {

    /** This JVM: it sends the calls; its CPU is shown apart and left out of the platform's total. */
    static final String LOAD_GENERATOR = "loadgen";

    private final Map<String, List<Long>> groups = new LinkedHashMap<>();

    /** Groups of process ids by name. */
    CpuMeter(Map<String, List<Long>> groups) {
        this.groups.putAll(groups);
    }

    CpuMeter(LocalPlatform platform) {
        groups.put("app", List.of(platform.app().pid()));
        groups.put("workers", platform.workers().stream().map(RuntimeProcess::pid).toList());
        platform.services().postgres().pid().ifPresent(pid -> groups.put("postgres", List.of(pid)));
        platform.services().redis().pid().ifPresent(pid -> groups.put("redis", List.of(pid)));
        groups.put("s3", List.of(platform.services().s3().pid()));
        groups.put(LOAD_GENERATOR, List.of(ProcessHandle.current().pid()));
    }

    /** CPU seconds used so far, per group. */
    Map<String, Double> snapshot() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        groups.forEach((group, pids) -> seconds.put(group, pids.stream()
                // The load generator is the parent of the platform's processes: count it alone.
                .mapToDouble(pid -> (group.equals(LOAD_GENERATOR) ? ProcessCpu.ownSeconds(pid) : ProcessCpu.treeSeconds(pid)).orElse(0))
                .sum()));
        return seconds;
    }

    /** Milliseconds of CPU per run between two snapshots, per group and in total. */
    static Map<String, Double> perRunMillis(Map<String, Double> before, Map<String, Double> after, long runs) {
        Map<String, Double> perRun = new LinkedHashMap<>();
        if (runs <= 0) {
            return perRun;
        }
        double total = 0;
        for (var entry : after.entrySet()) {
            double used = entry.getValue() - before.getOrDefault(entry.getKey(), 0.0);
            if (!entry.getKey().equals(LOAD_GENERATOR)) {
                total += used;
            }
            perRun.put(entry.getKey(), round3(used * 1000 / runs));
        }
        perRun.put("total", round3(total * 1000 / runs));
        return perRun;
    }

    static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
