package io.flowfleet.core.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.InvalidFlowException;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.TriggerPayload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cross-run probes of {@code src/test/resources/sandbox-probes} (see its README): polluter (project A),
 * victim with a secret (project B), reader (project A), on one sandbox. Shared with runtime-worker's
 * SANDBOX_PROCESS test, which reads the same files.
 */
public final class SandboxProbes {
    public static final String MARK = "m4rk3r";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SandboxProbes() {
    }

    /** The probe names, from {@code dir} (runtime-core/src/test/resources/sandbox-probes). */
    public static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pollute.js"))
                    .map(n -> n.substring(0, n.length() - ".pollute.js".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-code-step flow whose code gets {@code {"secret": trigger.body.secret}}. */
    public static FlowDefinition flow(String code, String cacheKey) throws InvalidFlowException {
        ObjectNode flow = JSON.createObjectNode();
        flow.put("name", "probe");
        flow.putObject("trigger").put("name", "trigger").put("type", "webhook");
        ObjectNode step = flow.putArray("steps").addObject();
        step.put("name", "c").put("type", "code");
        ObjectNode settings = step.putObject("settings");
        settings.putObject("input").put("secret", "{{trigger.body.secret}}");
        settings.put("code", code);
        return FlowDefinition.parse(flow).withCacheKey(cacheKey);
    }

    /**
     * Runs one probe through {@code runner} (definition, trigger → run) and asserts that the reader saw
     * neither the secret nor the marker.
     */
    public static void check(Path dir, String name, BiFunction<FlowDefinition, TriggerPayload, FlowRun> runner) throws Exception {
        String trap = Files.readString(dir.resolve("trap.js"));
        String pollute = Files.readString(dir.resolve(name + ".pollute.js"));
        if (!name.endsWith(".raw")) {
            pollute = trap + pollute;
        }
        String read = Files.readString(dir.resolve(name + ".read.js"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String polluterKey = "projA-" + name + "-pollute-" + run + ":1";
        read = read.replace("@POLLUTER@", polluterKey.replace(':', '@') + "/c.js");
        String secret = "s3cr3t-" + UUID.randomUUID();

        String polluted;
        try {
            FlowRun p = runner.apply(flow(pollute, polluterKey), TriggerPayload.ofBody(JSON.createObjectNode()));
            polluted = p.status() + " " + (p.step("c") == null ? "" : p.step("c").output());
        } catch (InvalidFlowException e) {
            polluted = "refused at validation: " + e.getMessage();
        }

        FlowRun victim = runner.apply(flow(Files.readString(dir.resolve("victim.js")), "projB-victim-" + run + ":1"),
                TriggerPayload.ofBody(JSON.createObjectNode().put("secret", secret)));

        FlowRun reader = runner.apply(flow(read, "projA-" + name + "-read-" + run + ":1"),
                TriggerPayload.ofBody(JSON.createObjectNode()));
        String seen = reader.status() + " " + (reader.step("c") == null ? "" : reader.step("c").output()) + " " + reader.error();

        String context = "probe " + name + " (polluter: " + polluted + ")";
        assertThat(seen).as(context + ": the reader must not see the secret").doesNotContain(secret);
        assertThat(seen).as(context + ": the reader must not see what the polluter left").doesNotContain(MARK);
        if (!read.startsWith("// reader may fail")) {
            assertThat(reader.status()).as(context + ": the reader ran: " + seen).isEqualTo(RunStatus.SUCCEEDED);
        }
        assertThat(victim.status()).as(context + ": the victim is unaffected: " + victim.error()).isEqualTo(RunStatus.SUCCEEDED);
    }
}
