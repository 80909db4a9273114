package io.tributary.core.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two writers of one Delta log version: exactly one wins, the other is told so, nothing is overwritten. */
class PutIfAbsentLogStoreTest {
    @TempDir
    java.nio.file.Path directory;

    @Test
    void aSecondWriteOfTheSameVersionFailsAndKeepsTheFirst() throws Exception {
        Configuration hadoop = new Configuration();
        Path version = new Path(directory.toUri().toString() + "/00000000000000000001.json");
        new PutIfAbsentLogStore(hadoop).write(version, List.of("{\"first\":1}").iterator(), false, hadoop);

        assertThatThrownBy(() -> new PutIfAbsentLogStore(hadoop)
                .write(version, List.of("{\"second\":2}").iterator(), false, hadoop))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(directory.resolve("00000000000000000001.json"))).isEqualTo("{\"first\":1}\n");
        try (var listing = Files.list(directory)) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList())
                    .containsExactly("00000000000000000001.json");
        }
    }

    @Test
    void racingStoresInstancesAgreeOnOneWinnerPerVersion() throws Exception {
        // Separate instances stand for separate processes: no lock inside the JVM can help them.
        Configuration hadoop = new Configuration();
        int writers = 4;
        int versions = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int v = 0; v < versions; v++) {
                Path version = new Path(directory.toUri().toString() + "/" + String.format("%020d.json", v));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String line = "{\"writer\":" + w + "}";
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            new PutIfAbsentLogStore(hadoop).write(version, List.of(line).iterator(), false, hadoop);
                            return true;
                        } catch (FileAlreadyExistsException lost) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> outcome : outcomes) {
                    winners += outcome.get() ? 1 : 0;
                }
                assertThat(winners).as("winners of version %d", v).isEqualTo(1);
                assertThat(Files.readString(directory.resolve(String.format("%020d.json", v)))).startsWith("{\"writer\":");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
