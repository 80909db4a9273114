package io.tributary.serving.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.core.crypto.Address;
import io.tributary.core.inference.InferenceLogFiles;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.inference.InferenceRecords;
import io.tributary.serving.LogReader;
import io.tributary.testing.kafka.EmbeddedKafka;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two sinks of the inference log: rolling files (visible only when complete, recovered after a crash) and Kafka. */
class InferenceLogTest {
    @TempDir
    Path root;

    static InferenceRecord record(String id, long completionTokens) {
        return new InferenceRecord(id, Instant.parse("2026-12-01T10:00:00.123Z"), "", "", OptionalLong.empty(),
                "a".repeat(64), "", Address.of("0x00000000000000000000000000000000000000a1"), "0123456789abcdef",
                5, completionTokens, "text \"quoted\"\nwith a newline", "stop", BigInteger.valueOf(completionTokens * 7), "default-1");
    }

    private static List<Path> visible(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.filter(file -> InferenceLogFiles.COMPLETE.matcher(file.getFileName().toString()).matches()).sorted().toList();
        }
    }

    @Test
    void concurrentAppendsAreDurableAtOnceAndFilesBecomeVisibleOnlyWhenComplete() throws Exception {
        Path directory = root.resolve("inference-log");
        List<InferenceRecord> written = new ArrayList<>();
        try (FileInferenceLog log = new FileInferenceLog(directory, "server-a", 2_000, 3_600_000)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                InferenceRecord record = record("server-a-1-" + i, i);
                written.add(record);
                futures.add(threads.submit(() -> log.append(record)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            threads.shutdown();
            // Every acknowledged record is on disk already, in a completed file or the open hidden one.
            assertThat(LogReader.records(directory)).containsExactlyInAnyOrderElementsOf(written);
            List<Path> complete = visible(directory);
            assertThat(complete).isNotEmpty();  // 64 records of ~330 bytes rolled at 2,000 bytes
            try (var files = Files.list(directory)) {
                assertThat(files.filter(file -> file.getFileName().toString().startsWith(".")).count()).isLessThanOrEqualTo(1);
            }
        }
        List<Path> complete = visible(directory);
        try (var files = Files.list(directory)) {
            assertThat(files.count()).isEqualTo(complete.size());  // nothing hidden left after close
        }
        for (Path file : complete) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                assertThat(InferenceRecords.parse(line)).isInstanceOf(InferenceRecords.Accepted.class);
            }
        }
        assertThat(LogReader.records(directory)).hasSize(64);
    }

    @Test
    void filesRollByAgeSoAWatcherSeesRecordsWithinTheRollTime() throws Exception {
        Path directory = root.resolve("aged");
        try (FileInferenceLog log = new FileInferenceLog(directory, "server-b", 1 << 30, 300)) {
            log.append(record("server-b-1-1", 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> visible(directory).size() == 1);
            log.append(record("server-b-1-2", 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> visible(directory).size() == 2);
        }
        assertThat(visible(directory).get(0).getFileName().toString()).isEqualTo(InferenceLogFiles.completeName("server-b", 1));
    }

    @Test
    void aCrashedServersHiddenFileIsCompletedWithoutItsTornLine() throws Exception {
        Path directory = root.resolve("crashed");
        Files.createDirectories(directory);
        String good = record("server-c-1-1", 3).toJsonLine() + "\n";
        Files.writeString(directory.resolve(InferenceLogFiles.inProgressName("server-c", 7)), good + "{\"inference_id\": \"server-c-1-2\", \"ser");
        Files.writeString(directory.resolve(InferenceLogFiles.inProgressName("other-server", 1)), good);
        try (FileInferenceLog log = new FileInferenceLog(directory, "server-c", 1 << 20, 3_600_000)) {
            assertThat(Files.readString(directory.resolve(InferenceLogFiles.completeName("server-c", 7)))).isEqualTo(good);
            // Another server's open file is not ours to complete.
            assertThat(directory.resolve(InferenceLogFiles.inProgressName("other-server", 1))).exists();
            log.append(record("server-c-2-1", 4));
        }
        // New files continue after the highest sequence this server id used.
        assertThat(directory.resolve(InferenceLogFiles.completeName("server-c", 8))).exists();
    }

    @Test
    void aClosedLogRefusesRecords() {
        FileInferenceLog log = new FileInferenceLog(root.resolve("closed"), "server-d", 1 << 20, 3_600_000);
        log.close();
        assertThatThrownBy(() -> log.append(record("server-d-1-1", 1))).isInstanceOf(LogWriteException.class);
    }

    @Test
    void kafkaSinkSendsTheCanonicalLineKeyedByInferenceIdAndWaitsForTheAck() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("inferences", 2);
            List<InferenceRecord> written = new ArrayList<>();
            try (KafkaInferenceLog log = new KafkaInferenceLog(kafka.bootstrapServers(), "inferences", "server-k", Map.of())) {
                for (int i = 0; i < 20; i++) {
                    InferenceRecord record = record("server-k-1-" + i, i);
                    log.append(record);
                    written.add(record);
                }
            }
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
                consumer.subscribe(List.of("inferences"));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                    return received.size() >= written.size();
                });
            }
            assertThat(received).hasSize(written.size());
            for (ConsumerRecord<String, String> message : received) {
                InferenceRecord record = ((InferenceRecords.Accepted) InferenceRecords.parse(message.value())).record();
                assertThat(message.key()).isEqualTo(record.inferenceId());
                assertThat(message.value()).isEqualTo(record.toJsonLine());
            }
            assertThat(received.stream().map(m -> m.key()).toList())
                    .containsExactlyInAnyOrderElementsOf(written.stream().map(InferenceRecord::inferenceId).toList());
        }
    }
}
