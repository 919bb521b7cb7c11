package io.flowfleet.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (zonky's embedded binaries, unpacked from a Maven artifact) on a free
 * loopback port, with a {@value #DATABASE} database.
 *
 * <p>Durability is PostgreSQL's default ({@code synchronous_commit=on}, {@code fsync=on}): zonky turns
 * synchronous commit off and starts the server with {@code -F} (fsync off), which would flatter every
 * latency figure taken against it. Our {@code -c} settings come after {@code -F} and win.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "flowfleet";
    public static final String USERNAME = "postgres";
    /** The server trusts loopback connections; clients still send this password. */
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres server;
    private final Path dataDirectory;
    private final StopOnExit stopOnExit;

    private LocalPostgres(EmbeddedPostgres server, Path dataDirectory) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.stopOnExit = StopOnExit.register("postgres", this::stop);
    }

    /**
     * Starts a server whose cluster lives in {@code dataDirectory} (created and initialised when
     * empty, reused when it already holds a cluster, so data survives restarts).
     */
    public static LocalPostgres start(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            // A postmaster left by a JVM that was killed (SIGKILL skips shutdown hooks) still owns the directory.
            StaleProcesses.stop(dataDirectory.resolve("postmaster.pid"), "postgres");
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(FreePort.pick())
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // DevServices stops the server itself; zonky's own hook would race with it.
                    .setRegisterShutdownHook(false)
                    .start();
            LocalPostgres postgres = new LocalPostgres(server, dataDirectory);
            try {
                postgres.createDatabaseIfMissing();
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + dataDirectory, e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getPort();
    }

    /** JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Process id of the postmaster (backends are its children), for CPU accounting. */
    public OptionalLong pid() {
        return readPostmasterPid(dataDirectory);
    }

    /** Opens a connection to the {@value #DATABASE} database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USERNAME, PASSWORD);
    }

    /** {@code server_version} of the running server (e.g. 18.1). */
    public String serverVersion() {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("show server_version")) {
            return rows.next() ? rows.getString(1) : "unknown";
        } catch (SQLException e) {
            return "unknown";
        }
    }

    /**
     * SIGKILL of the postmaster and every backend, as a crash (power loss of the database): nothing
     * is flushed beyond what was committed. Returns once they are gone.
     */
    public void crash() {
        OptionalLong postmaster = pid();
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle.of(postmaster.getAsLong()).ifPresent(process -> {
            List<ProcessHandle> backends = process.descendants().toList();
            process.destroyForcibly();
            backends.forEach(ProcessHandle::destroyForcibly);
            process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
            backends.forEach(backend -> backend.onExit().completeOnTimeout(backend, 10, TimeUnit.SECONDS).join());
        });
    }

    /**
     * Starts the server again after {@link #crash()}, with the command line it last ran with
     * ({@code postmaster.opts}: same binary, port and settings), and waits until it accepts
     * connections (after crash recovery). PostgreSQL refuses to run as root: then it runs in a user
     * namespace of its own ({@code unshare -U}), where it is not root and still owns its files, as
     * the library that started it does.
     */
    public void restart() {
        if (pid().stream().mapToObj(ProcessHandle::of).anyMatch(p -> p.map(ProcessHandle::isAlive).orElse(false))) {
            throw new IllegalStateException("PostgreSQL (pid " + pid().getAsLong() + ") is still running");
        }
        List<String> command = new java.util.ArrayList<>();
        if ("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"))) {
            command.addAll(List.of("/usr/bin/unshare", "-U"));
        }
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        try {
            command.addAll(parseOptions(Files.readString(dataDirectory.resolve("postmaster.opts"))));
            Path log = dataDirectory.resolve("restart.log");
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                    statement.execute("select 1");
                    return;
                } catch (SQLException notYet) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("PostgreSQL did not accept connections within 60 s of its restart; log "
                                + log + ":\n" + LogTail.of(log, 3000), notYet);
                    }
                    Thread.sleep(100);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart PostgreSQL in " + dataDirectory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting PostgreSQL", e);
        }
    }

    /** The words of {@code postmaster.opts}: the binary, then each option in double quotes. */
    static List<String> parseOptions(String opts) {
        List<String> words = new java.util.ArrayList<>();
        java.util.regex.Matcher word = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)").matcher(opts.strip());
        while (word.find()) {
            words.add(word.group(1) != null ? word.group(1).replaceAll("\\\\(.)", "$1") : word.group(2));
        }
        return words;
    }

    @Override
    public void close() {
        stopOnExit.run();
    }

    private void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, PASSWORD);
             PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE + " on " + jdbcUrl("postgres"), e);
        }
    }

    private static OptionalLong readPostmasterPid(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
