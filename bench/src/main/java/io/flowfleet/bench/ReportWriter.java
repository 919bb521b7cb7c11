package io.flowfleet.bench;

import io.flowfleet.contract.RuntimeSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;

/** Writes latest.json and latest.md: the figures next to the seed's (Activepieces) and issue 5's targets. */
final class ReportWriter {

    // The seed's published figures (seeds/003: "Latency"; throughput from its benchmark page).
    static final double SEED_WARM_P50_MS = 163;
    static final double SEED_WARM_AVG_MS = 176;
    static final double SEED_WARM_P95_MS = 260;
    static final double SEED_WARM_P99_MS = 343;
    static final double SEED_COLD_MS = 2_000;
    static final double SEED_UNDER_LOAD_MS = 500;
    static final double SEED_REQUESTS_PER_SECOND = 93.5;

    // Issue 5's targets (2 cores, everything on loopback, load generator included).
    static final double TARGET_WARM_P50_MS = 3;
    static final double TARGET_WARM_P99_MS = 15;
    static final double TARGET_COLD_P50_MS = 150;
    static final double TARGET_REQUESTS_PER_SECOND = 1_000;
    static final double TARGET_LOAD_P99_MS = 50;

    private static final String[] CPU_COLUMNS = {"app", "workers", "postgres", "redis", "s3", "total", CpuMeter.LOAD_GENERATOR};

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    static void write(BenchResult result, Path directory) {
        try {
            Files.createDirectories(directory);
            Path json = directory.resolve("latest.json");
            Path temporary = directory.resolve("latest.json.tmp");
            JSON.writeValue(temporary.toFile(), result);
            Files.move(temporary, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(directory.resolve("latest.md"), markdown(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + directory, e);
        }
    }

    static String markdown(BenchResult r) {
        StringBuilder md = new StringBuilder();
        md.append("# Flowfleet benchmark").append(r.setup().smoke() ? " (smoke run: tiny counts, not figures)" : "").append("\n\n");
        md.append("Started ").append(r.startedAt()).append(", took ").append(fmt(r.elapsedSeconds())).append(" s.\n\n");
        md.append("- Machine: ").append(r.machine().cores()).append(" cores (").append(r.machine().cpuModel()).append("), ")
                .append(r.machine().memoryMb() / 1024).append(" GiB, ").append(r.machine().os())
                .append("; 1-minute load average before the run ").append(fmt(r.machine().loadAverageBefore())).append("\n");
        md.append("- Versions: Flowfleet ").append(r.versions().flowfleet()).append(" (commit ").append(r.versions().gitCommit())
                .append("), Java ").append(r.versions().java()).append(", PostgreSQL ").append(r.versions().postgres())
                .append(", Redis ").append(r.versions().redis()).append(", s3proxy ").append(r.versions().s3proxy()).append("\n");
        md.append("- Setup: N = ").append(r.setup().workers()).append(" worker process(es) x " + RuntimeSettings.ENV_VAR_WORKER_CONCURRENCY + " ")
                .append(r.setup().workerConcurrency()).append(" = ").append(r.setup().slots()).append(" slot(s), 1 app; flow ")
                .append(r.setup().flow()).append("; ").append(r.setup().postgresDurability())
                .append("; workers' GraalJS runtime: ").append(r.setup().workerJsRuntime())
                .append("; app, workers, Postgres, Redis, s3proxy and the load generator share the machine, on loopback\n");
        md.append("- Platform start (services + app + workers ready): ").append(fmt(r.platformStartSeconds())).append(" s\n\n");

        LatencySummary warm = r.warm().latency();
        LatencySummary cold = r.cold().latency();
        md.append("| measure | Flowfleet | seed (Activepieces) | seed / Flowfleet | target | met |\n");
        md.append("| --- | ---: | ---: | ---: | --- | --- |\n");
        row(md, "warm sync p50 (" + warm.count() + " sequential calls)", warm.p50Ms(), SEED_WARM_P50_MS, "<= 3 ms", warm.p50Ms() <= TARGET_WARM_P50_MS);
        row(md, "warm sync avg", warm.avgMs(), SEED_WARM_AVG_MS, "", null);
        row(md, "warm sync p95", warm.p95Ms(), SEED_WARM_P95_MS, "", null);
        row(md, "warm sync p99", warm.p99Ms(), SEED_WARM_P99_MS, "<= 15 ms", warm.p99Ms() <= TARGET_WARM_P99_MS);
        row(md, "cold first call p50 (" + cold.count() + " fresh flows)", cold.p50Ms(), SEED_COLD_MS, "<= 150 ms",
                cold.count() > 0 && cold.p50Ms() <= TARGET_COLD_P50_MS);
        row(md, "cold first call p95", cold.p95Ms(), SEED_COLD_MS, "", null);
        if (r.workerStart().measured()) {
            md.append("| worker process start to readiness | ").append(fmt(r.workerStart().startToReadySeconds() * 1000))
                    .append(" ms | | | | |\n");
            md.append("| worker process start to first served run | ").append(fmt(r.workerStart().startToFirstRunSeconds() * 1000))
                    .append(" ms | (not published) | | | |\n");
        }
        for (BenchResult.Load load : r.load()) {
            boolean top = load.concurrency() == 4 * r.setup().slots();
            String level = "concurrency " + load.concurrency() + (top ? " (4 x slots)" : " (slots)");
            md.append("| load, ").append(level).append(": runs/s | ").append(fmt(load.requestsPerSecond())).append(" | ")
                    .append(fmt(SEED_REQUESTS_PER_SECOND)).append(" (4 apps, 40 workers) | ")
                    .append(ratio(load.requestsPerSecond(), SEED_REQUESTS_PER_SECOND, true)).append(" | ")
                    .append(top ? ">= 1,000 | " + yesNo(load.requestsPerSecond() >= TARGET_REQUESTS_PER_SECOND) : "| ")
                    .append(" |\n");
            row(md, "load, " + level + ": p50", load.p50Ms(), SEED_UNDER_LOAD_MS, "", null);
            row(md, "load, " + level + ": p99", load.p99Ms(), SEED_UNDER_LOAD_MS, top ? "<= 50 ms" : "",
                    top ? load.p99Ms() <= TARGET_LOAD_P99_MS : null);
            md.append("| load, ").append(level).append(": errors | ").append(load.errors()).append(" of ")
                    .append(load.requests()).append(" | | | 0 | ").append(yesNo(load.errors() == 0)).append(" |\n");
        }
        md.append("\nWarm calls were measured after ").append(r.warm().warmupCalls()).append(" warm-up calls. Errors: warm ").append(warm.errors()).append(", cold ").append(cold.errors()).append(".");
        appendFirstError(md, "warm", r.warm().firstError());
        appendFirstError(md, "cold", r.cold().firstError());
        for (BenchResult.Load load : r.load()) {
            appendFirstError(md, "load " + load.concurrency(), load.firstError());
        }
        if (r.workerStart().error() != null) {
            md.append("\nWorker start: ").append(r.workerStart().error()).append('.');
        }
        if (!r.warm().serverMeanMs().isEmpty()) {
            md.append("\n\n## Where a warm call's time goes (means from the platform's own timers)\n\n");
            md.append("| part | mean ms |\n| --- | ---: |\n");
            md.append("| caller sees (client to client) | ").append(fmt(r.warm().latency().avgMs())).append(" |\n");
            if (r.warm().httpFloor() != null && r.warm().httpFloor().count() > 0) {
                md.append("| HTTP floor: GET /actuator/health/liveness on the app, same client, sequential (p50 ")
                        .append(fmt(r.warm().httpFloor().p50Ms())).append(" ms) | ").append(fmt(r.warm().httpFloor().avgMs())).append(" |\n");
            }
            r.warm().serverMeanMs().forEach((part, millis) -> md.append("| ").append(describe(part)).append(" | ")
                    .append(fmt(millis)).append(" |\n"));
        }
        md.append("\n\n## CPU per run (ms of CPU time per sync run, from /proc/PID/stat)\n\n");
        md.append("| scenario | app | workers | postgres | redis | s3 | total (platform) | load generator |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        cpuRow(md, "warm, 1 caller", r.warm().cpuMsPerRun());
        for (BenchResult.Load load : r.load()) {
            cpuRow(md, "load, " + load.concurrency() + " callers", load.cpuMsPerRun());
        }
        md.append("| idle (cores busy, no calls, ").append(fmt(r.idle().seconds())).append(" s)");
        for (String group : CPU_COLUMNS) {
            md.append(" | ").append(r.idle().coresBusy().containsKey(group) ? fmt(r.idle().coresBusy().get(group)) : "");
        }
        md.append(" |\n");
        md.append("\n(The load generator is the benchmark's JVM: its CPU is shown apart, not in the platform's total; it shares the same ")
                .append(r.machine().cores()).append(" cores.)\n");
        md.append("\n## Durability\n\n").append(r.durability().note()).append(": ").append(r.durability().successfulCalls())
                .append(" successful calls, runs in Postgres by status ").append(r.durability().runsByStatus()).append(".\n");
        md.append("\nProcesses left running after the run: ").append(r.processesLeftRunning().isEmpty() ? "none" : r.processesLeftRunning())
                .append(".\n");
        if (!r.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            r.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    private static String describe(String timer) {
        return switch (timer) {
            case "webhook.sync" -> "app: sync webhook, request in to response out (flowfleet_webhook)";
            case "run" -> "worker: run, claim to result stored (flowfleet_run)";
            default -> timer.startsWith("step.") ? "worker: step " + timer.substring(5) + " (flowfleet_step)" : timer;
        };
    }

    private static void row(StringBuilder md, String measure, double flowfleetMs, double seedMs, String target, Boolean met) {
        md.append("| ").append(measure).append(" | ").append(fmt(flowfleetMs)).append(" ms | ")
                .append(fmt(seedMs)).append(" ms | ").append(ratio(seedMs, flowfleetMs, false)).append(" | ")
                .append(target).append(" | ").append(met == null ? "" : yesNo(met)).append(" |\n");
    }

    private static void cpuRow(StringBuilder md, String scenario, Map<String, Double> cpu) {
        md.append("| ").append(scenario);
        for (String group : CPU_COLUMNS) {
            md.append(" | ").append(cpu.containsKey(group) ? fmt(cpu.get(group)) : "");
        }
        md.append(" |\n");
    }

    private static void appendFirstError(StringBuilder md, String scenario, String error) {
        if (error != null) {
            md.append("\nFirst error in ").append(scenario).append(": `").append(error.replace('`', '\'')).append("`");
        }
    }

    /** How many times better Flowfleet is: seed/flowfleet for times, flowfleet/seed for rates. */
    private static String ratio(double numerator, double denominator, boolean rate) {
        if (denominator <= 0 || numerator <= 0) {
            return "";
        }
        return fmt(numerator / denominator) + "x";
    }

    private static String yesNo(boolean met) {
        return met ? "yes" : "**no**";
    }

    static String fmt(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
