package io.flowfleet.local;

import io.flowfleet.contract.RuntimeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole platform on one machine: {@link DevServices} (Postgres, Redis, S3), one app process and
 * N worker processes, all on loopback. Run by {@code ./flowfleet local} (see docs/local.md), and
 * by the benchmark harness.
 *
 * <p>Layout of the data directory: {@code api-key} (the management API key, 0600),
 * {@code services/} (the servers' data, kept across runs), {@code logs/} (app.log, worker-N.log),
 * {@code flows/} (ids of flows published by name).
 *
 * <p>App and workers listen on 127.0.0.1 unless {@link Builder#bindAddress} says otherwise, and are
 * restarted when they exit on their own ({@link ProcessSupervisor}).
 */
public final class LocalPlatform implements AutoCloseable {

    public static final Path DEFAULT_DATA_DIRECTORY = Path.of(".flowfleet");
    public static final Path DEFAULT_APP_JAR = Path.of("runtime-app", "target", "flowfleet-app.jar");
    public static final Path DEFAULT_WORKER_JAR = Path.of("runtime-worker", "target", "flowfleet-worker.jar");
    public static final Path DEFAULT_FLOW = Path.of("examples", "flows", "seed-benchmark.json");

    private final Builder options;
    private final DevServices services;
    private final ProcessSupervisor supervisor;
    private final ProcessSupervisor.Slot app;
    private final List<ProcessSupervisor.Slot> workers;
    private final FlowsApiClient api;
    private final AtomicInteger workerNumber;
    private final StopOnExit stopOnExit;
    private final DataDirectoryLock lock;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    private LocalPlatform(Builder options, DataDirectoryLock lock, DevServices services, RuntimeProcess app,
                          List<RuntimeProcess> workers) {
        this.options = options;
        this.lock = lock;
        this.services = services;
        this.supervisor = new ProcessSupervisor(options.console, options.readyTimeout);
        this.app = supervisor.supervise(app);
        this.workers = new ArrayList<>();
        workers.forEach(worker -> this.workers.add(supervisor.supervise(worker)));
        if (!options.restartOnExit) {
            supervisor.stop();
        }
        this.api = new FlowsApiClient(app.baseUri(), services.apiKey());
        this.workerNumber = new AtomicInteger(workers.size());
        this.stopOnExit = StopOnExit.register("local-platform", this::stopAll);
    }

    public static Builder builder() {
        return new Builder();
    }

    public DevServices services() {
        return services;
    }

    /** The app process (its latest launch: the platform restarts an app that exits on its own). */
    public RuntimeProcess app() {
        return app.process();
    }

    /** The worker processes (each one's latest launch, running or stopped on request). */
    public synchronized List<RuntimeProcess> workers() {
        return workers.stream().map(ProcessSupervisor.Slot::process).toList();
    }

    /** Times the app was restarted after exiting on its own. */
    public int appRestarts() {
        return app.restarts();
    }

    /** Restarts per worker, in the order of {@link #workers()}. */
    public synchronized List<Integer> workerRestarts() {
        return workers.stream().map(ProcessSupervisor.Slot::restarts).toList();
    }

    /** The API key of this data directory (header X-API-Key), from {@link ApiKeyFile}. */
    public String apiKey() {
        return services.apiKey();
    }

    /** Blocks until the platform is closed (by {@link #close()} or at JVM exit, e.g. Ctrl-C). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    public FlowsApiClient api() {
        return api;
    }

    public Path dataDirectory() {
        return options.dataDirectory;
    }

    /** The environment app and workers run with: the services' AP_* variables plus the options' extras. */
    public Map<String, String> runtimeEnv() {
        return options.runtimeEnv(services);
    }

    /** Launches one more worker, supervised like the others (not yet ready: call awaitReady on it). */
    public synchronized RuntimeProcess launchWorker() {
        RuntimeProcess worker = options.launchWorker(options.jarCopy(options.workerJar), workerNumber.incrementAndGet(), runtimeEnv());
        workers.add(supervisor.supervise(worker));
        return worker;
    }

    /**
     * Publishes a flow file under its file name: updates and republishes the flow published from
     * the same file in an earlier run of this data directory, or creates a new one. Returns its id.
     */
    public String publish(Path flowFile) {
        String definition;
        try {
            definition = Files.readString(flowFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read flow " + flowFile, e);
        }
        Path idFile = options.dataDirectory.resolve("flows").resolve(flowFile.getFileName() + ".id");
        try {
            if (Files.exists(idFile)) {
                String knownId = Files.readString(idFile).trim();
                if (api.find(knownId).isPresent()) {
                    api.update(knownId, definition);
                    api.publish(knownId);
                    return knownId;
                }
            }
            String id = api.createAndPublish(definition);
            Files.createDirectories(idFile.getParent());
            Files.writeString(idFile, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the id of " + flowFile + " in " + idFile, e);
        }
    }

    /**
     * Stops the app first (no new webhooks), then the workers, then S3, Redis and Postgres, with
     * one line per component on the console.
     */
    @Override
    public void close() {
        stopOnExit.run();
    }

    private void stopAll() {
        try {
            supervisor.stop();
            options.console.accept("Stopping Flowfleet ...");
            api.close();
            stopReporting(app.process().name(), () -> app.process().stop());
            List<RuntimeProcess> running = workers();
            CompletableFuture.allOf(running.stream()
                    .map(worker -> CompletableFuture.runAsync(() -> stopReporting(worker.name(), worker::stop)))
                    .toArray(CompletableFuture[]::new)).join();
            stopReporting("s3", services.s3()::close);
            stopReporting("redis", services.redis()::close);
            stopReporting("postgres", services.postgres()::close);
            services.close();
            lock.close();
        } finally {
            closed.countDown();
        }
    }

    private void stopReporting(String component, Runnable stop) {
        long started = System.nanoTime();
        try {
            stop.run();
            options.console.accept(String.format("stopped %-9s (%.1f s)", component, (System.nanoTime() - started) / 1e9));
        } catch (RuntimeException e) {
            options.console.accept("stopping " + component + " failed: " + e.getMessage());
        }
    }

    /** How to start a {@link LocalPlatform}. */
    public static final class Builder {
        private Path dataDirectory = DEFAULT_DATA_DIRECTORY;
        private Path appJar = DEFAULT_APP_JAR;
        private Path workerJar = DEFAULT_WORKER_JAR;
        private int workers = 1;
        private int workerConcurrency = 1;
        private Integer appPort;
        private final Map<String, String> extraEnv = new LinkedHashMap<>();
        private final List<String> appJvmArgs = new ArrayList<>();
        private final List<String> workerJvmArgs = new ArrayList<>();
        private Duration readyTimeout = Duration.ofSeconds(180);
        private boolean fresh;
        private boolean optimizingJs;
        private OptimizingWorkerLayout workerLayout;
        private String bindAddress = RuntimeProcess.DEFAULT_BIND_ADDRESS;
        private boolean restartOnExit = true;
        private java.util.function.Consumer<String> console = line -> {
            System.out.println(line);
            System.out.flush();
        };

        private Builder() {
        }

        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Builder appJar(Path appJar) {
            this.appJar = appJar;
            return this;
        }

        public Builder workerJar(Path workerJar) {
            this.workerJar = workerJar;
            return this;
        }

        /** Worker processes started with the platform (default 1; 0 is allowed). */
        public Builder workers(int workers) {
            if (workers < 0) {
                throw new IllegalArgumentException("workers must be 0 or more, not " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** AP_WORKER_CONCURRENCY (default 1: one flow at a time per worker). */
        public Builder workerConcurrency(int workerConcurrency) {
            if (workerConcurrency < 1) {
                throw new IllegalArgumentException("worker concurrency must be 1 or more, not " + workerConcurrency);
            }
            this.workerConcurrency = workerConcurrency;
            return this;
        }

        /** The app's port (default: a free loopback port). */
        public Builder appPort(int appPort) {
            this.appPort = appPort;
            return this;
        }

        /** More environment for app and workers (e.g. AP_WEBHOOK_TIMEOUT_SECONDS); wins over the defaults. */
        public Builder env(String key, String value) {
            extraEnv.put(key, value);
            return this;
        }

        public Builder appJvmArgs(List<String> options) {
            appJvmArgs.addAll(options);
            return this;
        }

        public Builder workerJvmArgs(List<String> options) {
            workerJvmArgs.addAll(options);
            return this;
        }

        /**
         * Run workers as the worker image does, GraalJS on its optimizing runtime (polyglot jars on
         * the module path, the Graal compiler on the upgrade module path); default: {@code java -jar},
         * GraalJS interpreted, a faster start.
         */
        public Builder optimizingJs(boolean optimizingJs) {
            this.optimizingJs = optimizingJs;
            return this;
        }

        /** Start from empty services, logs and flow ids (the benchmark does); default: keep the data of earlier runs. */
        public Builder fresh(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = readyTimeout;
            return this;
        }

        /** The address app and workers listen on (default 127.0.0.1; {@code 0.0.0.0}: every interface). */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = java.util.Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /**
         * Launch an app or worker that exits on its own again, as a Deployment would (default true);
         * a process stopped through {@link RuntimeProcess#stop()} or {@code kill()} stays stopped.
         */
        public Builder restartOnExit(boolean restartOnExit) {
            this.restartOnExit = restartOnExit;
            return this;
        }

        /** Where restart and stop lines go (default: standard output). */
        public Builder console(java.util.function.Consumer<String> console) {
            this.console = java.util.Objects.requireNonNull(console, "console");
            return this;
        }

        /**
         * Starts the servers, then the app (it migrates the database), then the workers, each
         * awaited ready; stops whatever started when a part fails.
         */
        public LocalPlatform start() {
            requireJar(appJar, "runtime-app");
            requireJar(workerJar, "runtime-worker");
            DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
            try {
                return start(lock);
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
        }

        private LocalPlatform start(DataDirectoryLock lock) {
            if (fresh) {
                // The API key stays: it belongs to the directory, not to one run.
                for (String part : List.of("services", "logs", "flows")) {
                    DevServices.deleteRecursively(dataDirectory.resolve(part));
                }
            }
            // Run copies: a rebuild (./mvnw package) rewrites target/*.jar under a running JVM,
            // which then fails to load classes it has not loaded yet.
            StaleProcesses.stopCommandsContaining(jarCopy(appJar).toAbsolutePath().getParent() + "/");
            Path runAppJar = copyJar(appJar);
            Path runWorkerJar = copyJar(workerJar);
            if (optimizingJs) {
                workerLayout = OptimizingWorkerLayout.prepare(runWorkerJar, workerJar, dataDirectory.resolve("jars").resolve("worker-optimizing"));
            }
            DevServices services = DevServices.builder()
                    .dataDirectory(dataDirectory.resolve("services"))
                    .apiKey(ApiKeyFile.loadOrCreate(dataDirectory))
                    .start();
            List<RuntimeProcess> started = new ArrayList<>();
            try {
                Map<String, String> env = runtimeEnv(services);
                RuntimeProcess.Builder appLaunch = RuntimeProcess.builder(runAppJar)
                        .name("app")
                        .env(env)
                        .jvmArgs(appJvmArgs)
                        .bindAddress(bindAddress)
                        .logFile(dataDirectory.resolve("logs").resolve("app.log"));
                if (appPort != null) {
                    appLaunch.port(appPort);
                }
                RuntimeProcess app = appLaunch.start();
                started.add(app);
                app.awaitReady(readyTimeout);
                for (int number = 1; number <= workers; number++) {
                    started.add(launchWorker(runWorkerJar, number, env));
                }
                for (RuntimeProcess worker : started.subList(1, started.size())) {
                    worker.awaitReady(readyTimeout);
                }
                return new LocalPlatform(this, lock, services, app, started.subList(1, started.size()));
            } catch (RuntimeException e) {
                for (RuntimeProcess process : started.reversed()) {
                    try {
                        process.stop();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                services.close();
                throw e;
            }
        }

        private Map<String, String> runtimeEnv(DevServices services) {
            Map<String, String> env = new LinkedHashMap<>(services.runtimeEnv());
            env.put(RuntimeSettings.ENV_VAR_WORKER_CONCURRENCY, Integer.toString(workerConcurrency));
            env.put(RuntimeSettings.ENV_VAR_QUEUE_NAME, RuntimeSettings.QUEUE_NAME.defaultValue());
            env.putAll(extraEnv);
            return env;
        }

        private RuntimeProcess launchWorker(Path jar, int number, Map<String, String> env) {
            List<String> options = new ArrayList<>(workerJvmArgs);
            Path launched = jar;
            if (workerLayout != null) {
                options.addAll(workerLayout.jvmArgs());
                launched = workerLayout.jar();
            }
            return RuntimeProcess.builder(launched)
                    .name("worker-" + number)
                    .env(env)
                    .jvmArgs(options)
                    .bindAddress(bindAddress)
                    .logFile(dataDirectory.resolve("logs").resolve("worker-" + number + ".log"))
                    .start();
        }

        private Path jarCopy(Path jar) {
            return dataDirectory.resolve("jars").resolve(jar.getFileName());
        }

        private Path copyJar(Path jar) {
            Path copy = jarCopy(jar);
            try {
                Files.createDirectories(copy.getParent());
                Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return copy;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + jar + " to " + copy, e);
            }
        }

        private static void requireJar(Path jar, String module) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it with ./mvnw -q -B -pl "
                        + module + " -am package -DskipTests (./flowfleet local does this for you)");
            }
        }
    }

    /**
     * {@code ./flowfleet local [--workers N] [--port P] [--data-dir DIR] [--flow FILE]}: starts the
     * platform, publishes the flow, calls it once, prints the curl line and runs until Ctrl-C.
     */
    public static void main(String[] args) throws InterruptedException {
        LocalPlatformCommand command;
        try {
            command = LocalPlatformCommand.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LocalPlatformCommand.USAGE);
            System.exit(2);
            return;
        }
        if (command.help()) {
            System.out.println(LocalPlatformCommand.USAGE);
            return;
        }
        int status = command.run(System.out);
        if (status != 0) {
            System.exit(status);
        }
    }
}
