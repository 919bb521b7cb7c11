package io.flowfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The management API key of one data directory: 32 random bytes (SecureRandom, base64url),
 * generated on the first start, kept in {@value #FILE_NAME} readable by its owner only (0600) and
 * reused by later starts, so scripts keep working while no two directories share a key.
 */
public final class ApiKeyFile {

    public static final String FILE_NAME = "api-key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFile() {
    }

    /** The key stored in {@code directory/api-key}, created when missing; the file is (re)set to 0600. */
    public static String loadOrCreate(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, newKey() + "\n", StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException existing) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (key.isEmpty()) {
                key = newKey();
                Files.writeString(file, key + "\n", StandardCharsets.US_ASCII);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API key file " + file, e);
        }
    }

    /** The path of the key file of {@code directory}. */
    public static Path of(Path directory) {
        return directory.resolve(FILE_NAME);
    }

    static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
