package io.flowfleet.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One Redis command over a fresh socket, in RESP. Enough to check a server this module started
 * (PING, INFO) without putting a Redis client library on its users' classpath.
 */
final class RespClient {

    private static final int TIMEOUT_MILLIS = 5_000;

    private RespClient() {
    }

    /** Sends the command and returns a simple or bulk string reply; an error reply becomes an IOException. */
    static String call(String host, int port, String... command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
            for (String part : command) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int type = in.read();
            String line = readLine(in);
            return switch (type) {
                case '+', ':' -> line;
                case '-' -> throw new IOException("Redis error: " + line);
                case '$' -> {
                    int length = Integer.parseInt(line);
                    if (length < 0) {
                        yield null;
                    }
                    byte[] body = in.readNBytes(length);
                    yield new String(body, StandardCharsets.UTF_8);
                }
                default -> throw new IOException("unexpected Redis reply type '" + (char) type + "'");
            };
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int next = in.read(); next != -1; next = in.read()) {
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
        throw new IOException("Redis closed the connection mid-reply");
    }
}
