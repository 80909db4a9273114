package io.tributary.ingestion.input;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines as raw bytes, so that a line that is not valid UTF-8 reaches quarantine byte for byte.
 * A line ends at '\n'; a '\r' before it is dropped; a final line without '\n' still counts.
 */
public final class RawLineReader implements AutoCloseable {
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(8192);
    private int position;
    private int limit;
    private boolean ended;

    public RawLineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its terminator, or null at the end of the input. */
    public byte[] next() throws IOException {
        pending.reset();
        boolean any = false;
        while (true) {
            if (position == limit) {
                if (ended || !fill()) {
                    return any ? stripCarriageReturn(pending.toByteArray()) : null;
                }
            }
            any = true;
            for (int i = position; i < limit; i++) {
                if (chunk[i] == '\n') {
                    byte[] line;
                    if (pending.size() == 0) {
                        line = Arrays.copyOfRange(chunk, position, i);
                    } else {
                        pending.write(chunk, position, i - position);
                        line = pending.toByteArray();
                    }
                    position = i + 1;
                    return stripCarriageReturn(line);
                }
            }
            pending.write(chunk, position, limit - position);
            position = limit;
        }
    }

    private boolean fill() throws IOException {
        int read = in.read(chunk);
        if (read <= 0) {
            ended = true;
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private static byte[] stripCarriageReturn(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
