package io.flowfleet.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./flowfleet local} as a person uses it, in a real pseudo-terminal ({@code script} from
 * util-linux): it binds loopback, prints its random API key, restarts a worker killed with
 * SIGKILL, and Ctrl-C (the terminal's SIGINT to the foreground group) stops every component with
 * one line each, in a few seconds, leaving no process behind.
 */
class LocalCommandIT {

    /** Generous for a loaded two-core machine; it takes about 3 s on a quiet one. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(45);

    @Test
    void bindsLoopbackRestartsAKilledWorkerAndStopsOnCtrlCWithOneLinePerComponent(@TempDir Path dataDirectory) throws Exception {
        Path root = Path.of(System.getProperty("flowfleet.root", "..")).toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(root.resolve("runtime-app/target/flowfleet-app.jar"))
                        && Files.isRegularFile(root.resolve("runtime-worker/target/flowfleet-worker.jar")),
                "skipped: needs the app and worker jars (./mvnw -B verify from the root builds them first)");
        String classpath = root.resolve("local/target/classes") + ":" + Files.readString(root.resolve("local/target/runtime.classpath")).strip();
        // What ./flowfleet local execs, started inside a pseudo-terminal. SIGINT's default disposition
        // is restored first: a job started in the background of a non-interactive shell ignores it.
        String command = "exec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp " + classpath
                + " io.flowfleet.local.LocalPlatform --data-dir " + dataDirectory + " --workers 2";
        Process terminal = new ProcessBuilder("env", "--default-signal=INT", "script", "-qfec", command, "/dev/null")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        Transcript transcript = Transcript.of(terminal.getInputStream());
        List<Long> pids = new ArrayList<>();
        try {
            String banner = transcript.await("Press Ctrl-C to stop everything.", Duration.ofSeconds(240));

            long appPid = number(banner, "app +http://127\\.0\\.0\\.1:\\d+/ +\\(pid (\\d+)");
            int appPort = (int) number(banner, "app +http://127\\.0\\.0\\.1:(\\d+)/");
            long worker1 = number(banner, "worker-1 +pid (\\d+)");
            long worker2 = number(banner, "worker-2 +pid (\\d+)");
            int worker1Port = (int) number(banner, "worker-1 +pid \\d+, port (\\d+)");
            pids.addAll(List.of(appPid, worker1, worker2, number(banner, "postgres .*pid (\\d+)\\)"),
                    number(banner, "redis +redis://\\S+ +\\(pid (\\d+)\\)"), number(banner, "s3 +http://.*\\(pid (\\d+)\\)")));

            assertThat(listensOnlyOnLoopback(appPort)).as("app listens on 127.0.0.1 only").isTrue();
            assertThat(listensOnlyOnLoopback(worker1Port)).as("worker listens on 127.0.0.1 only").isTrue();
            String key = Files.readString(dataDirectory.resolve("api-key")).strip();
            assertThat(key).matches("[A-Za-z0-9_-]{43}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDirectory.resolve("api-key"))))
                    .isEqualTo("rw-------");
            assertThat(banner).contains("API key    " + key).contains("X-API-Key: " + key).doesNotContain("flowfleet-local-api-key");

            ProcessHandle.of(worker2).orElseThrow().destroyForcibly();
            transcript.await("worker-2 exited (signal 9); restarting (restart 1)", Duration.ofSeconds(30));
            Thread.sleep(3_000); // the platform keeps running: nothing else stops

            long interrupted = System.nanoTime();
            OutputStream keyboard = terminal.getOutputStream();
            keyboard.write(3); // Ctrl-C
            keyboard.flush();
            boolean exited = terminal.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS);
            Duration stopping = Duration.ofNanos(System.nanoTime() - interrupted);

            assertThat(exited).as("stopped within %s; transcript:%n%s", STOP_BOUND, transcript.text()).isTrue();
            assertThat(terminal.exitValue()).as("the command's JVM ended by SIGINT").isEqualTo(130);
            String afterCtrlC = transcript.text().substring(transcript.text().indexOf("restarting (restart 1)"));
            for (String component : List.of("app", "worker-1", "worker-2", "s3", "redis", "postgres")) {
                assertThat(afterCtrlC).as("a line for %s", component).containsPattern("stopped " + component + " +\\(\\d+\\.\\d s\\)");
            }
            assertThat(afterCtrlC).doesNotContain("exited (").doesNotContain("last lines of").doesNotContain("Exception")
                    .doesNotContain("failed");
            System.out.println("Ctrl-C stopped everything in " + stopping.toMillis() + " ms");
            assertNothingLeft(pids, dataDirectory);
        } finally {
            terminal.destroyForcibly();
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(line -> line.contains(dataDirectory.toString())).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void assertNothingLeft(List<Long> pids, Path dataDirectory) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(process -> process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d", pid).isNotEqualTo(java.util.Optional.of(true));
        }
        List<String> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(dataDirectory.toString())).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
        assertThat(left).as("processes of the data directory still running").isEmpty();
    }

    private static long number(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in:%n%s", regex, text).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** True when the port answers on 127.0.0.1 and refuses on every other address of this machine. */
    static boolean listensOnlyOnLoopback(int port) throws IOException {
        if (!connects(InetAddress.getLoopbackAddress(), port)) {
            return false;
        }
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (!address.isLoopbackAddress() && !address.isLinkLocalAddress() && connects(address, port)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Everything the terminal showed, read as it comes. */
    private static final class Transcript {
        private final StringBuilder text = new StringBuilder();

        static Transcript of(InputStream in) {
            Transcript transcript = new Transcript();
            Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        synchronized (transcript) {
                            transcript.text.append(new String(buffer, 0, n, StandardCharsets.UTF_8).replace("\r", ""));
                            transcript.notifyAll();
                        }
                    }
                } catch (IOException ended) {
                    // the terminal closed
                }
            });
            return transcript;
        }

        synchronized String text() {
            return text.toString();
        }

        synchronized String await(String expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (text.indexOf(expected) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("\"" + expected + "\" did not appear within " + timeout.toSeconds()
                            + " s; transcript:\n" + text);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return text.toString();
        }
    }
}
