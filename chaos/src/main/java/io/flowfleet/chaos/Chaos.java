package io.flowfleet.chaos;

import java.nio.file.Path;
import java.util.List;

/** {@code ./flowfleet chaos [--out DIR] [--smoke]}: see {@link ChaosOptions#USAGE} and docs/chaos.md. */
public final class Chaos {

    private Chaos() {
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("flowfleet.root", "")).toAbsolutePath().normalize();
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(ChaosOptions.USAGE);
            return;
        }
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(root, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(ChaosOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            ChaosRun.Outcome outcome = ChaosRun.run(options, System.out);
            ChaosReportWriter.write(outcome, options.outputDirectory());
            System.out.println();
            System.out.println(ChaosReportWriter.markdown(outcome));
            System.out.println("Results: " + options.outputDirectory().resolve("chaos.json") + " and chaos.md");
            System.exit(outcome.report().misses().isEmpty() ? 0 : 1);
        } catch (Exception e) {
            System.err.println("The chaos run failed: " + e);
            e.printStackTrace();
            System.exit(3);
        }
    }
}
