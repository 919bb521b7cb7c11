package io.flowfleet.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The arguments of ./flowfleet local. */
class LocalPlatformCommandTest {

    @Test
    void defaultsToOneWorkerInDotFlowfleetWithTheSeedFlow() {
        LocalPlatformCommand command = LocalPlatformCommand.parse(new String[] {"--help"});

        assertThat(command.help()).isTrue();
        assertThat(command.workers()).isEqualTo(1);
        assertThat(command.dataDirectory()).isEqualTo(Path.of(".flowfleet"));
        assertThat(command.flow()).isEqualTo(Path.of("examples/flows/seed-benchmark.json"));
        assertThat(command.port()).isNull();
        assertThat(command.bindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void readsEveryOption() throws Exception {
        Path flow = Files.createTempFile("flow", ".json");
        try {
            LocalPlatformCommand command = LocalPlatformCommand.parse(new String[] {
                    "--workers", "3", "--port", "18080", "--data-dir", "/tmp/ff", "--flow", flow.toString(), "--bind", "0.0.0.0"});

            assertThat(command.workers()).isEqualTo(3);
            assertThat(command.port()).isEqualTo(18080);
            assertThat(command.dataDirectory()).isEqualTo(Path.of("/tmp/ff"));
            assertThat(command.flow()).isEqualTo(flow);
            assertThat(command.bindAddress()).isEqualTo("0.0.0.0");
            assertThat(command.help()).isFalse();
        } finally {
            Files.delete(flow);
        }
    }

    @Test
    void refusesBadArgumentsWithAReason() {
        assertThatThrownBy(() -> LocalPlatformCommand.parse(new String[] {"--workers", "-1", "--help"}))
                .hasMessage("--workers must be at least 0, not -1");
        assertThatThrownBy(() -> LocalPlatformCommand.parse(new String[] {"--port", "http"}))
                .hasMessage("--port needs a whole number, not http");
        assertThatThrownBy(() -> LocalPlatformCommand.parse(new String[] {"--data-dir"}))
                .hasMessage("--data-dir needs a value");
        assertThatThrownBy(() -> LocalPlatformCommand.parse(new String[] {"--bind", "example.com"}))
                .hasMessage("--bind needs an IP address (127.0.0.1, 0.0.0.0, ...), not example.com");
        assertThatThrownBy(() -> LocalPlatformCommand.parse(new String[] {"--verbose"}))
                .hasMessage("unknown argument: --verbose");
        assertThatThrownBy(() -> LocalPlatformCommand.parse(new String[] {"--flow", "/nonexistent/flow.json"}))
                .hasMessageContaining("/nonexistent/flow.json does not exist");
    }
}
