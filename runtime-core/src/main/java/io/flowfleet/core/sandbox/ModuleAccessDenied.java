package io.flowfleet.core.sandbox;

import org.graalvm.polyglot.io.FileSystem;

import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;

/**
 * The file system of sandbox contexts: it refuses everything, starting with parsing a path. GraalJS
 * resolves every {@code import} (static or dynamic) through it, even the name of a module already
 * evaluated in the same context, so code steps can import nothing: no file, no other step's module.
 */
final class ModuleAccessDenied implements FileSystem {
    static final String MESSAGE = "not allowed: code steps cannot import modules or read files";

    private static SecurityException refused(Object what) {
        return new SecurityException(MESSAGE + " (" + what + ")");
    }

    @Override
    public Path parsePath(URI uri) {
        throw refused(uri);
    }

    @Override
    public Path parsePath(String path) {
        throw refused(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) {
        throw refused(path);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw refused(dir);
    }

    @Override
    public void delete(Path path) {
        throw refused(path);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
        throw refused(path);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) {
        throw refused(dir);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        throw refused(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) {
        throw refused(path);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) {
        throw refused(path);
    }
}
