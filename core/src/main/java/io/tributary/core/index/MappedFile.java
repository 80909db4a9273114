package io.tributary.core.index;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only file mapped into memory in windows of 1 GiB, so files beyond the 2 GiB limit of one
 * {@link MappedByteBuffer} work. Windows overlap by 64 bytes, so no value or document entry straddles two.
 */
final class MappedFile implements AutoCloseable {
    private static final int WINDOW_BITS = 30;
    private static final long WINDOW = 1L << WINDOW_BITS;
    private static final int OVERLAP = 64;

    private final Path path;
    private final long size;
    private final MappedByteBuffer[] windows;

    private MappedFile(Path path, long size, MappedByteBuffer[] windows) {
        this.path = path;
        this.size = size;
        this.windows = windows;
    }

    static MappedFile open(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            int count = (int) Math.max(1, (size + WINDOW - 1) >>> WINDOW_BITS);
            MappedByteBuffer[] windows = new MappedByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long start = (long) i << WINDOW_BITS;
                long length = Math.min(size - start, WINDOW + OVERLAP);
                windows[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.max(0, length));
                windows[i].order(ByteOrder.LITTLE_ENDIAN);
            }
            return new MappedFile(path, size, windows);
        }
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    int unsignedByte(long offset) {
        return windows[(int) (offset >>> WINDOW_BITS)].get((int) (offset & (WINDOW - 1))) & 0xFF;
    }

    int unsignedShort(long offset) {
        return windows[(int) (offset >>> WINDOW_BITS)].getShort((int) (offset & (WINDOW - 1))) & 0xFFFF;
    }

    long unsignedInt(long offset) {
        return windows[(int) (offset >>> WINDOW_BITS)].getInt((int) (offset & (WINDOW - 1))) & 0xFFFFFFFFL;
    }

    long longValue(long offset) {
        return windows[(int) (offset >>> WINDOW_BITS)].getLong((int) (offset & (WINDOW - 1)));
    }

    /** An unsigned little-endian integer of {@code width} (1 to 8) bytes. */
    long unsigned(long offset, int width) {
        switch (width) {
            case 1: return unsignedByte(offset);
            case 2: return unsignedShort(offset);
            case 4: return unsignedInt(offset);
            case 8: return longValue(offset);
            default:
                MappedByteBuffer window = windows[(int) (offset >>> WINDOW_BITS)];
                int at = (int) (offset & (WINDOW - 1));
                long value = 0;
                for (int i = width - 1; i >= 0; i--) {
                    value = (value << 8) | (window.get(at + i) & 0xFF);
                }
                return value;
        }
    }

    void read(long offset, byte[] into) {
        MappedByteBuffer window = windows[(int) (offset >>> WINDOW_BITS)];
        window.get((int) (offset & (WINDOW - 1)), into);
    }

    /** Copies {@code length} bytes from {@code offset} into {@code into}, across window boundaries. */
    void read(long offset, byte[] into, int length) {
        int done = 0;
        while (done < length) {
            long at = offset + done;
            MappedByteBuffer window = windows[(int) (at >>> WINDOW_BITS)];
            int inWindow = (int) (at & (WINDOW - 1));
            int part = (int) Math.min(length - done, WINDOW - inWindow);
            window.get(inWindow, into, done, part);
            done += part;
        }
    }

    @Override
    public void close() {
        // Mapped buffers are released by the garbage collector; nothing to close explicitly.
    }
}
