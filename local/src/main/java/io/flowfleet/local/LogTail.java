package io.flowfleet.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The end of a log file, for error messages about a child process that failed. */
public final class LogTail {

    private LogTail() {
    }

    /** The last {@code maxBytes} of the file (from a line start where possible), or a note when unreadable. */
    public static String of(Path file, int maxBytes) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - maxBytes);
            raf.seek(start);
            byte[] bytes = new byte[(int) (length - start)];
            raf.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int firstNewline = text.indexOf('\n');
            return start > 0 && firstNewline >= 0 ? text.substring(firstNewline + 1) : text;
        } catch (IOException e) {
            return "(no log at " + file + ": " + e.getMessage() + ")";
        }
    }
}
