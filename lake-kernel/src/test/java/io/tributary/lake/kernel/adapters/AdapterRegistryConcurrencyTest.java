package io.tributary.lake.kernel.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.LakeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registrations racing each other: one adapter id is one row, one name is one adapter, whoever commits first. */
class AdapterRegistryConcurrencyTest {
    @TempDir
    Path directory;

    private static AdapterRecord record(String id, String name) {
        return new AdapterRecord(id, "/models/base", "ab".repeat(32), "legal", 3, "contributions", 10, "", "", "{}",
                "q_proj", 4, 8.0, 10, 100, null, null, 1.0, "/adapters/" + id, "cd".repeat(32), "", Instant.EPOCH, name);
    }

    private <T> List<Future<T>> race(int writers, Callable<T> work) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> outcomes = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                return work.call();
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        return outcomes;
    }

    @Test
    void theSameAdapterRegisteredFourTimesAtOnceIsOneRow() throws Exception {
        String lake = directory.toUri().toString();
        // The table exists first (the usual case); each writer has its own engine, as separate commands would.
        new AdapterRegistry(KernelTable.engine(Map.of()), lake).register(record("11".repeat(32), ""));
        AdapterRecord contested = record("22".repeat(32), "");
        int added = 0;
        for (Future<Boolean> outcome : race(4, () -> new AdapterRegistry(KernelTable.engine(Map.of()), lake).register(contested))) {
            added += outcome.get() ? 1 : 0;
        }
        assertThat(added).isEqualTo(1);
        assertThat(new AdapterRegistry(KernelTable.engine(Map.of()), lake).list(List.of("adapter_id")))
                .extracting(row -> row.get("adapter_id")).containsExactlyInAnyOrder("11".repeat(32), "22".repeat(32));
    }

    @Test
    void twoAdaptersRacingForOneNameLeaveOneHolder() throws Exception {
        String lake = directory.toUri().toString();
        new AdapterRegistry(KernelTable.engine(Map.of()), lake).register(record("11".repeat(32), "first"));
        List<String> ids = List.of("33".repeat(32), "44".repeat(32), "55".repeat(32));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        int won = 0;
        int refused = 0;
        for (Future<Boolean> outcome : race(3, () -> new AdapterRegistry(KernelTable.engine(Map.of()), lake)
                .register(record(ids.get(next.getAndIncrement()), "legal-v1")))) {
            try {
                won += outcome.get() ? 1 : 0;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(LakeException.class).hasMessageContaining("legal-v1");
                refused++;
            }
        }
        assertThat(won).isEqualTo(1);
        assertThat(refused).isEqualTo(2);
        assertThat(new AdapterRegistry(KernelTable.engine(Map.of()), lake).list(List.of("adapter_id", "name")))
                .filteredOn(row -> "legal-v1".equals(row.get("name"))).hasSize(1);
    }
}
