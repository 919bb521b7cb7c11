package io.flowfleet.core.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.InvalidFlowException;
import io.flowfleet.core.flow.Json;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.TriggerPayload;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code run-flow FILE [--payload JSON] [--header NAME=VALUE]... [--query NAME=VALUE]... [--timeout SECONDS]
 * [--repeat N]}: runs a flow (Flowfleet or Activepieces JSON) in-process with JSON as the webhook body
 * and prints the run as JSON. Exit 0 when the run succeeded, 1 when it did not, 2 for invalid
 * arguments, flow or payload (reasons on stderr). {@code --repeat N} then runs it N more times warm
 * and prints their wall times on stderr: a quick sanity check of the engine's own cost, not a benchmark.
 */
public final class RunFlowCommand {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int INVALID = 2;
    private static final String USAGE = "usage: run-flow FILE [--payload JSON] [--header NAME=VALUE]... "
            + "[--query NAME=VALUE]... [--timeout SECONDS] [--repeat N]";

    private RunFlowCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args the arguments after {@code run-flow} (a leading {@code run-flow} is accepted too)
     * @param out  receives the run as JSON, and nothing else
     * @param err  receives errors and, when {@code out} is {@code System.out}, the log lines that
     *             would otherwise go there (so that {@code run-flow ... | jq} works)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintStream systemOut = System.out;
        boolean divertLogs = out == systemOut && err != systemOut;
        if (divertLogs) {
            System.setOut(err); // console log appenders write to System.out: keep stdout for the JSON
        }
        try {
            return execute(args, out, err);
        } finally {
            if (divertLogs) {
                System.setOut(systemOut);
            }
        }
    }

    private static int execute(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        String payload = "{}";
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        Duration timeout = Duration.ofSeconds(600);
        int repeat = 0;
        int i = args.length > 0 && "run-flow".equals(args[0]) ? 1 : 0;
        try {
            for (; i < args.length; i++) {
                switch (args[i]) {
                    case "--payload" -> payload = value(args, ++i, "--payload");
                    case "--header" -> pair(value(args, ++i, "--header"), headers, "--header");
                    case "--query" -> pair(value(args, ++i, "--query"), query, "--query");
                    case "--timeout" -> timeout = Duration.ofSeconds(number(value(args, ++i, "--timeout"), "--timeout"));
                    case "--repeat" -> repeat = (int) number(value(args, ++i, "--repeat"), "--repeat");
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return OK;
                    }
                    default -> {
                        if (args[i].startsWith("--") || file != null) {
                            throw new IllegalArgumentException("unexpected argument " + args[i]);
                        }
                        file = args[i];
                    }
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("FILE is required");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("--timeout must be positive");
            }
            if (repeat < 0 || repeat > 10_000_000) {
                throw new IllegalArgumentException("--repeat must be from 0 to 10000000");
            }
        } catch (IllegalArgumentException e) {
            err.println("run-flow: " + e.getMessage());
            err.println(USAGE);
            return INVALID;
        }

        FlowDefinition definition;
        try {
            definition = FlowDefinition.parse(Files.readString(Path.of(file)));
        } catch (IOException e) {
            err.println("run-flow: cannot read " + file + ": " + e.getMessage());
            return INVALID;
        } catch (InvalidFlowException e) {
            err.println("run-flow: invalid flow " + file + ":");
            e.problems().forEach(p -> err.println("  - " + p));
            return INVALID;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            err.println("run-flow: --payload is not JSON: " + e.getOriginalMessage());
            return INVALID;
        }
        if (body == null) {
            err.println("run-flow: --payload is empty");
            return INVALID;
        }

        TriggerPayload trigger = new TriggerPayload("POST", headers, query, body);
        try (FlowEngine engine = FlowEngine.builder().flowTimeout(timeout).reuseSandbox(repeat > 0).build()) {
            FlowRun run = engine.run(definition, trigger, RunListener.NONE);
            out.println(Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(run.toJson()));
            out.flush();
            if (repeat > 0) {
                measure(engine, definition.withCacheKey("run-flow"), trigger, repeat, err);
            }
            return run.status() == RunStatus.SUCCEEDED ? OK : RUN_FAILED;
        } catch (JsonProcessingException e) {
            err.println("run-flow: cannot print the run: " + e.getOriginalMessage());
            return RUN_FAILED;
        }
    }

    /** Runs the flow {@code repeat} times warm and prints percentiles of the engine's wall time per run. */
    private static void measure(FlowEngine engine, FlowDefinition definition, TriggerPayload trigger, int repeat, PrintStream err) {
        long[] nanos = new long[repeat];
        int failed = 0;
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            FlowRun r = engine.run(definition, trigger, RunListener.NONE);
            nanos[i] = System.nanoTime() - start;
            if (r.status() != RunStatus.SUCCEEDED) {
                failed++;
            }
        }
        java.util.Arrays.sort(nanos);
        err.printf(java.util.Locale.ROOT, "warm runs: %d (%d not succeeded), JS runtime: %s; per run p50 %.1f us, p90 %.1f us, "
                        + "p99 %.1f us, max %.1f us%n", repeat, failed, engine.jsRuntime(), nanos[repeat / 2] / 1e3,
                nanos[(int) (repeat * 0.9)] / 1e3, nanos[(int) (repeat * 0.99)] / 1e3, nanos[repeat - 1] / 1e3);
    }

    private static long number(String s, String option) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got " + s);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void pair(String s, Map<String, String> into, String option) {
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(option + " takes NAME=VALUE, got " + s);
        }
        into.put(s.substring(0, eq), s.substring(eq + 1));
    }
}
