package io.flowfleet.bench;

import io.flowfleet.local.LocalPlatform;
import io.flowfleet.local.LocalS3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The machine and the versions a result was measured on. */
final class SystemInfo {

    private SystemInfo() {
    }

    static BenchResult.Machine machine(double loadAverageBefore) {
        return new BenchResult.Machine(Runtime.getRuntime().availableProcessors(), procField("/proc/cpuinfo", "model name"),
                memoryMb(), System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                loadAverageBefore);
    }

    /** The 1-minute load average (/proc/loadavg), or -1 when unreadable. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static BenchResult.Versions versions(Path root, LocalPlatform platform) {
        return new BenchResult.Versions(flowfleetVersion(), gitCommit(root),
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                platform.services().postgres().serverVersion(), platform.services().redis().serverVersion(),
                LocalS3.serverVersion());
    }

    private static String flowfleetVersion() {
        try (InputStream in = SystemInfo.class.getResourceAsStream("/flowfleet-bench.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("flowfleet.version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String gitCommit(Path root) {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static long memoryMb() {
        String kb = procField("/proc/meminfo", "MemTotal").replace("kB", "").trim();
        try {
            return Long.parseLong(kb) / 1024;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String procField(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
