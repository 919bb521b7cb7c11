package io.flowfleet.local;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** A jar whose manifest runs {@link ReadinessFixture} from the test classes: a stand-in for app and worker jars. */
final class FixtureJar {

    private FixtureJar() {
    }

    static Path create(Path directory) throws Exception {
        Path testClasses = Path.of(ReadinessFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ReadinessFixture.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses.toUri().toString());
        Path jar = directory.resolve("fixture.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            ignored.flush();
        }
        return jar;
    }
}
