package io.flowfleet.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DataDirectoryLockTest {

    @Test
    void aSecondRunOnTheSameDirectoryIsRefusedUntilTheFirstEnds(@TempDir Path directory) throws Exception {
        DataDirectoryLock first = DataDirectoryLock.acquire(directory);

        // Another JVM holds the lock: FileChannel locks are per process, so ask a child JVM.
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TryLock.class.getName(), directory.toString())
                .redirectErrorStream(true).start();
        String refused = new String(other.getInputStream().readAllBytes()).trim();
        assertThat(other.waitFor()).isEqualTo(1);
        assertThat(refused).contains("is in use by another Flowfleet run (pid " + ProcessHandle.current().pid() + ")");

        first.close();
        try (DataDirectoryLock again = DataDirectoryLock.acquire(directory)) {
            assertThat(again).isNotNull();
        }
    }

    /** Run in a child JVM: exits 1 with the refusal when the directory is locked. */
    public static final class TryLock {
        public static void main(String[] args) {
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(Path.of(args[0]))) {
                System.out.println("acquired");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
                System.exit(1);
            }
        }
    }
}
