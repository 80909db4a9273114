package io.tributary.indexing.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest is the commit point of an index build: replacing it must never leave a moment without it. */
class LakeFilesTest {
    @TempDir
    Path directory;

    @Test
    void readersAlwaysFindTheOldOrTheNewFileWhileItIsReplaced() throws Exception {
        LakeFiles files = new LakeFiles(Map.of());
        Path manifest = directory.resolve("indexes/legal/manifest.json");
        String uri = manifest.toUri().toString();
        files.writeAtomically(uri, out -> {
            out.write("version 0".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> missing = reader.submit(() -> {
                int misses = 0;
                while (writing.get()) {
                    try {
                        assertThat(Files.readString(manifest)).startsWith("version ");
                    } catch (NoSuchFileException e) {
                        misses++;
                    }
                }
                return misses;
            });
            for (int version = 1; version <= 100; version++) {
                byte[] content = ("version " + version).getBytes(StandardCharsets.UTF_8);
                files.writeAtomically(uri, out -> {
                    out.write(content);
                    return null;
                });
            }
            writing.set(false);
            assertThat(missing.get(1, TimeUnit.MINUTES)).as("reads that found no manifest").isZero();
        } finally {
            writing.set(false);
            reader.shutdownNow();
        }
        assertThat(Files.readString(manifest)).isEqualTo("version 100");
        try (var listing = Files.list(manifest.getParent())) {
            assertThat(listing.map(path -> path.getFileName().toString()).toList()).containsExactly("manifest.json");
        }
    }
}
