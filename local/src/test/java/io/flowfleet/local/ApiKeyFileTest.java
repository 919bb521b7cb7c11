package io.flowfleet.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** One random API key per data directory, owner-readable only, the same on every start. */
class ApiKeyFileTest {

    @Test
    void generatesAKeyOnceStoresItOwnerOnlyAndReusesIt(@TempDir Path directory) throws Exception {
        String first = ApiKeyFile.loadOrCreate(directory);

        Path file = directory.resolve("api-key");
        assertThat(first).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, base64url
        assertThat(Files.readString(file).strip()).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ApiKeyFile.loadOrCreate(directory)).isEqualTo(first);
    }

    @Test
    void everyDirectoryHasItsOwnKey(@TempDir Path one, @TempDir Path other) {
        assertThat(ApiKeyFile.loadOrCreate(one)).isNotEqualTo(ApiKeyFile.loadOrCreate(other));
    }

    @Test
    void aKeyFileMadeReadableByOthersIsTightenedAgain(@TempDir Path directory) throws Exception {
        String key = ApiKeyFile.loadOrCreate(directory);
        Path file = directory.resolve("api-key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(ApiKeyFile.loadOrCreate(directory)).isEqualTo(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
