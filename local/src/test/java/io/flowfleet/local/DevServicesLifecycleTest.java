package io.flowfleet.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting, stopping and restarting: nothing keeps running after close or JVM exit, data survives restarts. */
class DevServicesLifecycleTest {

    @Test
    void closeStopsEveryServerAndARestartKeepsTheData(@TempDir Path dataDirectory) throws Exception {
        List<Long> pids = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try (DevServices services = DevServices.start(dataDirectory)) {
            try (Connection connection = services.postgres().connect(); Statement statement = connection.createStatement()) {
                statement.execute("create table kept (note text)");
                statement.execute("insert into kept values ('survives restarts')");
            }
            try (S3Client s3 = services.s3().newClient()) {
                s3.putObject(request -> request.bucket(services.s3().bucket()).key("kept.txt"), RequestBody.fromString("kept"));
            }
            pids.add(services.postgres().pid().orElseThrow());
            pids.add(services.redis().pid().orElseThrow());
            pids.add(services.s3().pid());
            ports.addAll(List.of(services.postgres().port(), services.redis().port(), services.s3().port()));
        }
        assertAllGone(pids, ports);

        try (DevServices restarted = DevServices.start(dataDirectory)) {
            try (Connection connection = restarted.postgres().connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select note from kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("survives restarts");
            }
            try (S3Client s3 = restarted.s3().newClient()) {
                assertThat(s3.getObjectAsBytes(request -> request.bucket(restarted.s3().bucket()).key("kept.txt")).asUtf8String())
                        .isEqualTo("kept");
            }
        }
    }

    /** Fault injection: Postgres crashes (SIGKILL) and restarts with committed data; Redis restarts from its snapshot. */
    @Test
    void postgresAndRedisCrashAndRestartOnTheirPorts(@TempDir Path dataDirectory) throws Exception {
        try (DevServices services = DevServices.start(dataDirectory)) {
            LocalPostgres postgres = services.postgres();
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
                statement.execute("create table committed (note text)");
                statement.execute("insert into committed values ('before the crash')");
            }
            long postmaster = postgres.pid().orElseThrow();

            postgres.crash();
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThat(listening(postgres.port())).isFalse();
            postgres.restart();

            assertThat(postgres.pid().orElseThrow()).isNotEqualTo(postmaster);
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select note from committed")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("before the crash");
            }

            LocalRedis redis = services.redis();
            redis.call("SET", "saved", "1");
            assertThat(redis.call("SAVE")).isEqualTo("OK");
            redis.call("SET", "unsaved", "2");
            redis.crash();
            assertThat(redis.isAlive()).isFalse();
            redis.restart();
            assertThat(redis.call("GET", "saved")).isEqualTo("1");
            assertThat(redis.call("GET", "unsaved")).isNull();
        }
    }

    @Test
    void postmasterOptionsAreReadBackAsTheyWereWritten() {
        assertThat(LocalPostgres.parseOptions("/pg/bin/postgres \"-D\" \"/data dir\" \"-c\" \"listen_addresses=127.0.0.1\"\n"))
                .containsExactly("/pg/bin/postgres", "-D", "/data dir", "-c", "listen_addresses=127.0.0.1");
    }

    /** A JVM that exits without closing (System.exit, as after Ctrl-C) still stops its servers. */
    @Test
    void jvmExitStopsEveryServer() throws Exception {
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ExitWithoutClosing.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(output::add);
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String started = output.stream().filter(line -> line.startsWith("started ")).findFirst()
                .orElseThrow(() -> new AssertionError("the child did not start its services:\n" + String.join("\n", output)));
        String[] fields = started.split(" ");
        List<Long> pids = List.of(Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
        List<Integer> ports = List.of(Integer.parseInt(fields[4]), Integer.parseInt(fields[5]), Integer.parseInt(fields[6]));
        assertAllGone(pids, ports);
        assertThat(Path.of(fields[7])).doesNotExist();
    }

    private static void assertAllGone(List<Long> pids, List<Integer> ports) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(20, TimeUnit.SECONDS).join());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d", pid).isNotEqualTo(java.util.Optional.of(true));
        }
        for (int port : ports) {
            assertThat(listening(port)).as("port %d", port).isFalse();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Run in a child JVM by {@link #jvmExitStopsEveryServer()}. */
    public static final class ExitWithoutClosing {
        public static void main(String[] args) {
            DevServices services = DevServices.startTemporary();
            System.out.println("started " + services.postgres().pid().orElseThrow() + " " + services.redis().pid().orElseThrow()
                    + " " + services.s3().pid() + " " + services.postgres().port() + " " + services.redis().port()
                    + " " + services.s3().port() + " " + services.dataDirectory());
            System.out.flush();
            System.exit(0);
        }
    }
}
