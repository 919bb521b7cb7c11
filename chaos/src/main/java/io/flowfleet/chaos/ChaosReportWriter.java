package io.flowfleet.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.chaos.ChaosRecords.Fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** chaos.json (exactly the figures of issue 9's shape) and chaos.md (a table, the fault timeline, the misses). */
final class ChaosReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ChaosReportWriter() {
    }

    static void write(ChaosRun.Outcome outcome, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("chaos.json"), json(outcome.report()) + "\n");
            Files.writeString(directory.resolve("chaos.md"), markdown(outcome));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chaos report to " + directory, e);
        }
    }

    static String json(ChaosReport report) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode faults = root.putArray("faults");
        report.faults().forEach(fault -> faults.addObject().put("kind", fault.kind()).put("count", fault.count()));
        root.put("accepted", report.accepted());
        ObjectNode terminal = root.putObject("terminal");
        report.terminal().forEach(terminal::put);
        root.put("lost", report.lost());
        root.put("stuck", report.stuck());
        root.put("storedTwice", report.storedTwice());
        root.putObject("sideEffects")
                .put("executions", report.sideEffects().executions())
                .put("repeated", report.sideEffects().repeated())
                .put("repeatedWithoutWorkerDeath", report.sideEffects().repeatedWithoutWorkerDeath());
        ObjectNode sync = root.putObject("sync");
        sync.put("sent", report.sync().sent());
        ObjectNode byStatus = sync.putObject("byStatus");
        report.sync().byStatus().forEach(byStatus::put);
        sync.put("hung", report.sync().hung());
        sync.put("answeredAfterWorkerDeath", report.sync().answeredAfterWorkerDeath());
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String markdown(ChaosRun.Outcome outcome) {
        ChaosReport r = outcome.report();
        StringBuilder md = new StringBuilder();
        md.append("# Chaos run ").append(outcome.startedAt()).append("\n\n");
        md.append("Duration ").append(seconds(outcome.duration())).append(" s; settled ")
                .append(outcome.settled() ? "in " + seconds(outcome.settledIn()) + " s" : "NOT within the timeout")
                .append(". Definitions: docs/chaos.md.\n\n");
        md.append("| figure | value | target |\n| --- | --- | --- |\n");
        md.append("| faults | ").append(r.faults().stream().map(f -> f.kind() + " " + f.count()).collect(Collectors.joining(", ")))
                .append(" | every kind at least once |\n");
        md.append("| accepted | ").append(r.accepted()).append(" | |\n");
        md.append("| terminal | ").append(join(r.terminal())).append(" | |\n");
        row(md, "lost", r.lost());
        row(md, "stuck", r.stuck());
        row(md, "storedTwice", r.storedTwice());
        md.append("| sideEffects.executions | ").append(r.sideEffects().executions()).append(" | |\n");
        md.append("| sideEffects.repeated | ").append(r.sideEffects().repeated()).append(" | (at-least-once: allowed when a worker died) |\n");
        row(md, "sideEffects.repeatedWithoutWorkerDeath", r.sideEffects().repeatedWithoutWorkerDeath());
        md.append("| sync.sent | ").append(r.sync().sent()).append(" | |\n");
        md.append("| sync.byStatus | ").append(join(r.sync().byStatus())).append(" | |\n");
        row(md, "sync.hung", r.sync().hung());
        md.append("| sync.answeredAfterWorkerDeath | ").append(r.sync().answeredAfterWorkerDeath()).append(" of ")
                .append(r.sync().inFlightAtWorkerDeath()).append(" re-delivered | all, within the budget |\n");
        md.append("\n## Faults\n\n| kind | target | at (s) | back after (s) |\n| --- | --- | --- | --- |\n");
        for (Fault fault : outcome.faults()) {
            md.append("| ").append(fault.kind().id()).append(" | ").append(fault.target()).append(" | ")
                    .append(seconds(Duration.between(outcome.startedAt(), fault.start()))).append(" | ")
                    .append(seconds(Duration.between(fault.start(), fault.end()))).append(" |\n");
        }
        List<String> misses = r.misses();
        md.append("\n## Targets\n\n");
        if (misses.isEmpty()) {
            md.append("Every target met.\n");
        } else {
            misses.forEach(miss -> md.append("- MISSED: ").append(miss).append('\n'));
        }
        if (!outcome.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            outcome.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String figure, long value) {
        md.append("| ").append(figure).append(" | ").append(value).append(" | 0").append(value == 0 ? "" : " (missed)").append(" |\n");
    }

    private static String join(Map<String, Long> counts) {
        return counts.isEmpty() ? "none" : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }
}
