package io.flowfleet.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    private final Path root = Path.of("/repo");

    @Test
    void theDefaultRunIsBoundedToFiveMinutesAndWritesToBenchResults() {
        BenchOptions options = BenchOptions.parse(root, new String[0]);

        assertThat(options.budget()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.warmCalls()).isEqualTo(1_000);
        assertThat(options.warmupTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.coldFlows()).isEqualTo(20);
        assertThat(options.slots()).isEqualTo(2);
        assertThat(options.outputDirectory()).isEqualTo(Path.of("/repo/bench/results"));
        assertThat(options.appJar()).isEqualTo(Path.of("/repo/runtime-app/target/flowfleet-app.jar"));
    }

    @Test
    void optionsOverrideTheDefaultsAndSmokeKeepsCountsTiny() {
        BenchOptions options = BenchOptions.parse(root, new String[] {"--workers", "3", "--worker-concurrency", "2",
                "--load-seconds", "7", "--out", "/tmp/r", "--profile"});
        BenchOptions smoke = BenchOptions.parse(root, new String[] {"--smoke"});

        assertThat(options.slots()).isEqualTo(6);
        assertThat(options.loadDuration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(options.outputDirectory()).isEqualTo(Path.of("/tmp/r"));
        assertThat(options.profile()).isTrue();
        assertThat(smoke.smoke()).isTrue();
        assertThat(smoke.warmCalls()).isLessThanOrEqualTo(20);
        assertThat(smoke.outputDirectory()).isEqualTo(Path.of("/repo/bench/target/smoke-results"));
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> BenchOptions.parse(root, new String[] {"--workers"})).hasMessage("--workers needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(root, new String[] {"--workers", "x"})).hasMessage("--workers needs a whole number, not x");
        assertThatThrownBy(() -> BenchOptions.parse(root, new String[] {"--workers", "0"})).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> BenchOptions.parse(root, new String[] {"--fast"})).hasMessage("unknown argument: --fast");
    }
}
