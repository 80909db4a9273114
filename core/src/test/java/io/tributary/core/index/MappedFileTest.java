package io.tributary.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileTest {
    @Test
    void readsValuesBeyondTwoGibibytesAndAcrossWindowBoundaries(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("large.bin");
        long window = 1L << 30;
        long[] offsets = {0, window - 3, 2 * window - 1, 2 * window + 12_345, 3 * window - 8};
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(3 * window); // sparse: costs no disk
            for (int i = 0; i < offsets.length; i++) {
                out.seek(offsets[i]);
                // Little-endian 0x0807060504030201 + i.
                for (int b = 0; b < 8; b++) {
                    out.write(b == 0 ? 1 + i : b + 1);
                }
            }
        }
        MappedFile mapped = MappedFile.open(file);
        assertThat(mapped.size()).isEqualTo(3 * window);
        for (int i = 0; i < offsets.length; i++) {
            assertThat(mapped.longValue(offsets[i])).as("offset %d", offsets[i]).isEqualTo(0x0807060504030201L + i);
            assertThat(mapped.unsigned(offsets[i], 5)).isEqualTo(0x0504030201L + i);
            assertThat(mapped.unsignedShort(offsets[i] + 1)).isEqualTo(0x0302);
        }
    }
}
