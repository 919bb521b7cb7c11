package io.flowfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lays out a worker jar the way the worker image does (runtime-worker/Dockerfile), so that GraalJS
 * runs on the optimizing runtime as in production: the Spring Boot jar extracted, the polyglot
 * jars on the module path (with links left in lib/ for the jar's Class-Path), the GraalVM compiler
 * jar (runtime-worker/target/graalvm/) on the upgrade module path.
 */
final class OptimizingWorkerLayout {

    static final String GRAALVM_VERSION = "25.0.3";
    private static final List<String> MODULES = List.of("polyglot", "collections", "nativeimage", "word", "jniutils",
            "js-language", "regex", "truffle-api", "truffle-runtime", "truffle-compiler", "icu4j", "xz");

    private final Path jar;
    private final List<String> jvmArgs;

    private OptimizingWorkerLayout(Path jar, List<String> jvmArgs) {
        this.jar = jar;
        this.jvmArgs = jvmArgs;
    }

    /** The jar to run and the JVM options to run it with. */
    Path jar() {
        return jar;
    }

    List<String> jvmArgs() {
        return jvmArgs;
    }

    /**
     * Extracts {@code workerJar} into {@code directory} (emptied first); the compiler jar is taken from
     * {@code graalvm/} next to {@code builtJar}, where the runtime-worker build puts it.
     */
    static OptimizingWorkerLayout prepare(Path workerJar, Path builtJar, Path directory) {
        Path compiler = builtJar.toAbsolutePath().getParent().resolve("graalvm").resolve("compiler-" + GRAALVM_VERSION + ".jar");
        if (!Files.isRegularFile(compiler)) {
            throw new IllegalStateException(compiler + " is missing: the runtime-worker build puts the GraalVM compiler there"
                    + " (./mvnw -q -B -pl runtime-worker -am package -DskipTests)");
        }
        try {
            DevServices.deleteRecursively(directory);
            Files.createDirectories(directory);
            Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djarmode=tools", "-jar", workerJar.toAbsolutePath().toString(), "extract", "--destination",
                    directory.resolve("app").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!extract.waitFor(120, TimeUnit.SECONDS) || extract.exitValue() != 0) {
                extract.destroyForcibly();
                throw new IllegalStateException("could not extract " + workerJar + " (java -Djarmode=tools ... extract)");
            }
            Path lib = directory.resolve("app").resolve("lib");
            Path modules = Files.createDirectories(directory.resolve("modules"));
            for (String module : MODULES) {
                String name = module + "-" + GRAALVM_VERSION + ".jar";
                Files.move(lib.resolve(name), modules.resolve(name));
                Files.createSymbolicLink(lib.resolve(name), Path.of("..", "..", "modules", name));
            }
            Path compilerCopy = Files.copy(compiler, directory.resolve(compiler.getFileName()));
            List<String> flags = List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                    "--upgrade-module-path=" + compilerCopy, "--module-path=" + modules, "--add-modules=ALL-MODULE-PATH",
                    "--enable-native-access=ALL-UNNAMED,org.graalvm.truffle");
            Path jar = directory.resolve("app").resolve(workerJar.getFileName());
            return new OptimizingWorkerLayout(jar, flags);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lay out " + workerJar + " in " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while extracting " + workerJar, e);
        }
    }
}
