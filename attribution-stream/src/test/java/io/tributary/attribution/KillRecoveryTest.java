package io.tributary.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.attribution.job.AttributionJob;
import io.tributary.core.lake.LakeTable;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once claim end to end: a child JVM runs {@code tributary attribute --follow} while the log grows, is
 * killed with SIGKILL mid-stream, and is started again; the tables must then equal, row for row and to the wei,
 * those of an uninterrupted run over the same log.
 */
class KillRecoveryTest {
    private static final int COUNT = 300;
    private static final int PER_FILE = 30;

    @TempDir
    Path directory;

    @Test
    void aKilledAndRestartedRunEndsIdenticalToAnUninterruptedOne() throws Exception {
        StreamFixture reference = new StreamFixture(directory.resolve("reference"));
        reference.writeLake();
        List<String> lines = withSentinel(reference.logLines(COUNT));
        reference.writeLog(lines, PER_FILE, 0);
        JobClient uninterrupted = AttributionJob.prepare(reference.settings(300)).startEmbedded(AttributionJob.Mode.FOLLOW);
        try {
            awaitDone(reference, lines);
        } finally {
            uninterrupted.cancel().get();
        }

        StreamFixture killed = new StreamFixture(directory.resolve("killed"));
        killed.writeLake();
        Path conf = killed.writeConf(300);
        List<List<String>> files = new ArrayList<>();
        for (int start = 0; start < lines.size(); start += PER_FILE) {
            files.add(lines.subList(start, Math.min(lines.size(), start + PER_FILE)));
        }
        int written = 0;
        killed.writeLog(files.get(written), PER_FILE, written++);
        Process first = start(killed, conf, "first");
        // Grow the log while the job runs; kill it once it has committed something and half the log is written.
        while (written < files.size() / 2 || committedInferences(killed) == 0) {
            assertThat(first.isAlive()).as("the first run died on its own; see %s", killed.directory.resolve("first.log")).isTrue();
            if (written < files.size() - 2) {
                killed.writeLog(files.get(written), PER_FILE, written++);
            }
            await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(1)).until(() -> true);
        }
        first.destroyForcibly().waitFor();
        int partial = committedInferences(killed);
        assertThat(partial).isPositive().isLessThan(COUNT + 2);
        while (written < files.size()) {
            killed.writeLog(files.get(written), PER_FILE, written++);
        }
        Process second = start(killed, conf, "second");
        try {
            awaitDone(killed, lines);
        } finally {
            second.destroyForcibly().waitFor();
        }
        assertThat(Files.readString(killed.directory.resolve("second.log"))).contains("resuming from");

        assertThat(killed.tables()).isEqualTo(reference.tables());
    }

    /** A base-model record an hour later: its watermark closes every epoch before it, in both runs alike. */
    private static List<String> withSentinel(List<String> lines) {
        List<String> all = new ArrayList<>(lines);
        all.add(StreamFixture.record("fixture-sentinel", StreamFixture.START + 3_600_000, "", "end",
                java.math.BigInteger.ZERO));
        return all;
    }

    /** Every inference committed and every epoch before the sentinel's closed. */
    private static void awaitDone(StreamFixture fixture, List<String> lines) {
        Set<Long> epochs = new TreeSet<>();
        for (int i = 0; i < COUNT; i++) {
            epochs.add(Math.floorDiv(StreamFixture.START + i * 150L, StreamFixture.EPOCH_MS));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                committedInferences(fixture) == COUNT + 2
                        && fixture.rows(LakeTable.ATTRIBUTION_EPOCHS).size() >= epochs.size());
    }

    private static int committedInferences(StreamFixture fixture) {
        try {
            return fixture.rows(LakeTable.INFERENCES).size();
        } catch (RuntimeException e) {
            return 0; // not created yet
        }
    }

    private static Process start(StreamFixture fixture, Path conf, String name) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("-XX:+IgnoreUnrecognized")) {
                command.add(argument);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AttributionMain.class.getName(),
                "attribute", "--follow", "--conf", conf.toString(), "--lake", fixture.lakeRoot));
        File log = fixture.directory.resolve(name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }
}
