package io.flowfleet.local;

import java.io.IOException;

/**
 * Entry point of the s3proxy child JVM started by {@link LocalS3}: runs s3proxy and exits when its
 * parent goes away (the parent holds the child's stdin open; end of stream means the parent died,
 * even by SIGKILL, which skips shutdown hooks), so no S3 server outlives the JVM that started it.
 */
public final class S3ProxyMain {

    private S3ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; keep reading until the pipe closes
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end of stream
            }
            System.exit(0);
        });
        org.gaul.s3proxy.Main.main(args);
    }
}
