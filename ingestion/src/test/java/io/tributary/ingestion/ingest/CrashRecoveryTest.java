package io.tributary.ingestion.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.crypto.Address;
import io.tributary.core.lake.LakeTable;
import io.tributary.ingestion.IngestionMain;
import io.tributary.ingestion.datanet.DatanetCatalog;
import io.tributary.core.money.RewardPolicy;
import io.tributary.ingestion.lake.BatchJournal;
import io.tributary.ingestion.lake.Lake;
import io.tributary.ingestion.lake.TestLakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real crash: a separate JVM halts between two commits of a batch; the next command rolls it back. */
class CrashRecoveryTest {
    @TempDir
    Path directory;

    @Test
    void aBatchCutOffByACrashIsRolledBackByTheNextCommand() throws Exception {
        Lake lake = TestLakes.open(directory);
        new DatanetCatalog(lake).create(IngestJobTest.LEGAL, "Legal", "legal",
                Address.of("0x00000000000000000000000000000000000000aa"), new RewardPolicy(500, 1500, 8000));
        new IngestJob(lake).run(IngestJobTest.LEGAL, List.of(new ContributionFiles(IngestJobTest.LEGAL)
                .signed(IngestJobTest.ALICE, "Committed before the crash.").write(directory.resolve("before.jsonl")).toString()));
        long contributionsBefore = lake.read(LakeTable.CONTRIBUTIONS).count();
        Path input = IngestJobTest.badLines().signed(IngestJobTest.BOB, "Lost in the crash.").write(directory.resolve("crash.jsonl"));

        Path conf = Files.writeString(directory.resolve("child.conf"), """
                tributary.spark.master = "local[1]"
                tributary.spark.shuffle-partitions = 1
                tributary.spark.conf { "spark.ui.enabled" = false }
                tributary.ingest.max-text-bytes = 4096
                """);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--add-opens") || argument.startsWith("-Dio.netty")).toList());
        command.addAll(List.of("-cp", classpath, IngestionMain.class.getName(), "ingest", "--datanet", "legal",
                "--input", input.toString(), "--conf", conf.toString(), "--lake", lake.root()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("child.log").toFile());
        builder.environment().put("TRIBUTARY_CRASH_AT", "after_quarantine");
        Process child = builder.start();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(directory.resolve("child.log"))).isEqualTo(86);

        Lake reopened = Lake.open(lake.spark(), TestLakes.config(lake.root(), directory));
        assertThat(BatchJournal.of(reopened).pending()).isEmpty();
        assertThat(reopened.read(LakeTable.CONTRIBUTIONS).count()).isEqualTo(contributionsBefore);
        assertThat(reopened.read(LakeTable.QUARANTINE).count()).isZero();
        assertThat(reopened.read(LakeTable.BATCHES).count()).isEqualTo(1);
    }
}
