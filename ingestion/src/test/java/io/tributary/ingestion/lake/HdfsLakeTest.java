package io.tributary.ingestion.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.crypto.Address;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.LakeTable;
import io.tributary.ingestion.datanet.DatanetCatalog;
import io.tributary.core.money.RewardPolicy;
import io.tributary.ingestion.ingest.IngestJob;
import io.tributary.ingestion.ingest.IngestSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingestion with the lake, and the input, on a real (in-JVM) HDFS: a MiniDFSCluster behind an hdfs:// root. */
class HdfsLakeTest {
    static MiniDFSCluster cluster;

    @TempDir
    static Path base;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(configuration).numDataNodes(1).build();
        cluster.waitActive();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void ingestsIntoAnHdfsLakeFromAnHdfsInput() throws Exception {
        String namenode = "hdfs://localhost:" + cluster.getNameNodePort();
        KeyPair alice = KeyPair.fromSeed("alice");
        DatanetId datanet = DatanetId.of("legal");
        String text = "Stored on HDFS.";
        String line = "{\"contributor\":\"" + alice.address() + "\",\"text\":\"" + text + "\",\"license\":\"MIT\",\"signature\":\""
                + ContributionSignature.sign(alice, datanet, ContributionId.ofText(text), "MIT") + "\"}\n{broken\n";
        FileSystem hdfs = cluster.getFileSystem();
        try (FSDataOutputStream out = hdfs.create(new org.apache.hadoop.fs.Path("/inputs/legal.jsonl"))) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
        }

        Lake lake = Lake.open(TestLakes.spark(), TestLakes.config(namenode + "/tributary/lake", base));
        new DatanetCatalog(lake).create(datanet, "Legal", "legal", Address.of("0x00000000000000000000000000000000000000aa"),
                new RewardPolicy(500, 1500, 8000));
        IngestSummary summary = new IngestJob(lake).run(datanet, List.of(namenode + "/inputs/legal.jsonl"));

        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(summary.quarantined()).isEqualTo(1);
        assertThat(lake.root()).startsWith("hdfs://");
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/tributary/lake/contributions/_delta_log"))).isTrue();
        assertThat(lake.read(LakeTable.CONTRIBUTIONS).head().<String>getAs("text")).isEqualTo(text);
        assertThat(lake.tableNames()).contains("contributions", "quarantine", "batches", "datanets");
    }
}
