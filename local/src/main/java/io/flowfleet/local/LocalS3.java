package io.flowfleet.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible server (s3proxy over the local file system) on a free loopback port, with one
 * bucket, signing requests with AWS signature v2/v4 (so presigned URLs work).
 *
 * <p>s3proxy runs in a child JVM, from the classpath this module's build records: its Jetty 12.1,
 * Jackson 3 and logback stack would otherwise clash with Spring Boot's on the classpath of every
 * module that uses this class.
 */
public final class LocalS3 implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY_ID = "flowfleet-local";
    public static final String SECRET_ACCESS_KEY = "flowfleet-local-secret";

    private static final String CLASSPATH_RESOURCE = "s3proxy.classpath";
    private static final long START_TIMEOUT_MILLIS = 60_000;

    private final Process process;
    private final int port;
    private final String bucket;
    private final Path dataDirectory;
    private final Path logFile;
    private final StopOnExit stopOnExit;

    private LocalS3(Process process, int port, String bucket, Path dataDirectory, Path logFile) {
        this.process = process;
        this.port = port;
        this.bucket = bucket;
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.stopOnExit = StopOnExit.register("s3proxy", this::stop);
    }

    /**
     * Starts a server that stores objects under {@code dataDirectory/objects} (kept across restarts)
     * and writes its log to {@code dataDirectory/s3proxy.log}; creates {@code bucket} when missing.
     */
    public static LocalS3 start(Path dataDirectory, String bucket) {
        int port = FreePort.pick();
        Path logFile = dataDirectory.resolve("s3proxy.log");
        Process process;
        try {
            Path objects = Files.createDirectories(dataDirectory.resolve("objects"));
            Path propertiesFile = dataDirectory.resolve("s3proxy.properties");
            writeProperties(propertiesFile, port, objects);
            List<String> command = new ArrayList<>();
            // A session of its own: a terminal's Ctrl-C reaches the JVM that started it, which stops it last.
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.addAll(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", childClasspath(),
                    S3ProxyMain.class.getName(),
                    "--properties", propertiesFile.toString()));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch s3proxy", e);
        }
        LocalS3 s3 = new LocalS3(process, port, bucket, dataDirectory, logFile);
        try {
            s3.awaitListening();
            s3.createBucketIfMissing();
            return s3;
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public String bucket() {
        return bucket;
    }

    public String region() {
        return REGION;
    }

    public String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    public String secretAccessKey() {
        return SECRET_ACCESS_KEY;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    /** The s3proxy version this module runs (from the classpath its build recorded). */
    public static String serverVersion() {
        try (InputStream in = LocalS3.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            String classpath = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            java.util.regex.Matcher jar = java.util.regex.Pattern.compile("s3proxy-([0-9][^/:]*)\\.jar").matcher(classpath);
            return jar.find() ? jar.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A client for this server (path-style addressing); the caller closes it. */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .build();
    }

    /** A presigner for this server; the caller closes it. */
    public S3Presigner newPresigner() {
        return S3Presigner.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .build();
    }

    @Override
    public void close() {
        stopOnExit.run();
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    private static void writeProperties(Path file, int port, Path objects) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", ACCESS_KEY_ID);
        properties.setProperty("s3proxy.credential", SECRET_ACCESS_KEY);
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.identity", ACCESS_KEY_ID);
        properties.setProperty("jclouds.credential", SECRET_ACCESS_KEY);
        properties.setProperty("jclouds.filesystem.basedir", objects.toAbsolutePath().toString());
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "written by io.flowfleet.local.LocalS3");
        }
    }

    /** s3proxy's resolved classpath (recorded at build time) plus this module's classes, for S3ProxyMain. */
    private static String childClasspath() throws IOException {
        String recorded;
        try (InputStream in = LocalS3.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("flowfleet-local was built without its " + CLASSPATH_RESOURCE
                        + " resource: rebuild it with ./mvnw -pl local install");
            }
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            Path ownClasses = Path.of(LocalS3.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return ownClasses + java.io.File.pathSeparator + recorded;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate flowfleet-local's classes", e);
        }
    }

    private void awaitListening() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with status " + process.exitValue()
                        + " while starting; log " + logFile + ":\n" + LogTail.of(logFile, 4000));
            }
            if (answersHttp()) {
                return;
            }
            sleepQuietly(50);
        }
        throw new IllegalStateException("s3proxy did not listen on port " + port + " within "
                + START_TIMEOUT_MILLIS / 1000 + " s; log " + logFile + ":\n" + LogTail.of(logFile, 4000));
    }

    /** True once the server answers an HTTP request with any status line. */
    private boolean answersHttp() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(("HEAD / HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] head = socket.getInputStream().readNBytes(8);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/");
        } catch (IOException e) {
            return false;
        }
    }

    private void createBucketIfMissing() {
        try (S3Client client = newClient()) {
            try {
                client.headBucket(request -> request.bucket(bucket));
            } catch (S3Exception missing) {
                if (missing.statusCode() != 404) {
                    throw missing;
                }
                try {
                    client.createBucket(request -> request.bucket(bucket));
                } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                    // created between the two calls: fine
                }
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for s3proxy", e);
        }
    }
}
