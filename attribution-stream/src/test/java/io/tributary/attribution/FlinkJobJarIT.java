package io.tributary.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.attribution.job.AttributionJob;
import io.tributary.core.lake.LakeTable;
import io.tributary.testing.flink.FlinkSession;
import io.tributary.testing.kafka.EmbeddedKafka;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job jar ({@code -flink-job.jar}, built in {@code package}) submitted through the REST API, as the web
 * UI and {@code flink run} do, to a Flink session cluster in its own JVM that has only Flink's runtime and a Hadoop
 * client; it reads the log from a Kafka topic and must commit the same rows as the embedded job on the same topic.
 */
class FlinkJobJarIT {
    private static final String TOPIC = "tributary-inferences";

    @TempDir
    Path directory;

    static Path jobJar() {
        Path jar = Path.of(System.getProperty("tributary.flinkJobJar", "target/missing-flink-job.jar"));
        assertThat(jar).as("the job jar built by `package`").isRegularFile();
        return jar;
    }

    @Test
    void jarCarriesTheJobAndItsConnectorsButNotFlinksRuntime() throws Exception {
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            List<String> names = jar.stream().map(entry -> entry.getName()).collect(Collectors.toList());
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(FlinkJobMain.class.getName());
            assertThat(names).contains("io/tributary/attribution/FlinkJobMain.class",
                    "io/tributary/core/money/FeeSplitter.class", "tributary-reference.conf",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class",
                    "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                    "io/delta/kernel/Table.class");
            assertThat(names).noneMatch(name -> name.startsWith("org/apache/flink/runtime/")
                    || name.startsWith("org/apache/flink/streaming/api/environment/")
                    || name.startsWith("org/apache/hadoop/"));
        }
    }

    @Test
    void submittedJarCommitsTheSameRowsAsTheEmbeddedJob() throws Exception {
        StreamFixture embedded = new StreamFixture(directory.resolve("embedded"));
        StreamFixture submitted = new StreamFixture(directory.resolve("submitted"));
        embedded.writeLake();
        submitted.writeLake();
        int count = 60;
        List<String> lines = embedded.logLines(count);
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             FlinkSession flink = FlinkSession.start(directory.resolve("flink"), 2)) {
            kafka.createTopic(TOPIC, 2);
            StreamFixture.produce(kafka.bootstrapServers(), TOPIC, lines);

            AttributionJob.prepare(embedded.settings(200).withKafka(kafka.bootstrapServers(), TOPIC))
                    .runEmbedded(AttributionJob.Mode.UNTIL_END);

            Path conf = submitted.writeConf(200);
            Files.writeString(conf, Files.readString(conf) + "tributary.attribution.kafka { bootstrap-servers = \""
                    + kafka.bootstrapServers() + "\", topic = \"" + TOPIC + "\" }\n");
            String jarId = flink.uploadJar(jobJar());
            String jobId = flink.runJar(jarId, FlinkJobMain.class.getName(), List.of("--conf", conf.toString(),
                    "--lake", submitted.lakeRoot, "--source", "kafka", "--until-end"));
            String state = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> flink.jobState(jobId), FlinkSession.TERMINAL_STATES::contains);
            assertThat(state).as(() -> exceptions(flink, jobId)).isEqualTo("FINISHED");
        }

        List<Map<String, Object>> inferences = submitted.rows(LakeTable.INFERENCES);
        assertThat(inferences).hasSize(count + 1);
        BigInteger fees = inferences.stream().map(row -> new BigInteger((String) row.get("fee_wei")))
                .reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger paid = submitted.rows(LakeTable.EPOCH_PAYOUTS).stream().map(row -> new BigInteger((String) row.get("wei")))
                .reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(paid).isEqualTo(fees);
        assertThat(submitted.tables()).isEqualTo(embedded.tables());
    }

    private static String exceptions(FlinkSession flink, String jobId) {
        try {
            return flink.jobExceptions(jobId) + "\n" + flink.logTail();
        } catch (Exception e) {
            return "no exceptions: " + e + "\n" + flink.logTail();
        }
    }
}
