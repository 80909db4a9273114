package io.tributary.attribution;

import io.delta.kernel.engine.Engine;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;
import io.tributary.core.index.IndexManifest;
import io.tributary.core.index.IndexedDocument;
import io.tributary.core.index.ShardWriter;
import io.tributary.core.inference.InferenceLogFiles;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.lake.LakeTable;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.lake.kernel.KernelTable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A small real lake for the stream's tests: one Datanet with a reward policy, contributions by three contributors,
 * its byte-token index (core's ShardWriter, as `index build` writes it), two adapters (one without a creator), and
 * an inference log whose completions quote contributions, with base-model records, bad lines, a duplicate id and
 * a late record.
 */
final class StreamFixture {
    static final String DATANET = "legal";
    static final String TREASURY = "0x000000000000000000000000000000000000dEaD";
    static final String CREATOR = "0x00000000000000000000000000000000000c0ffe";
    static final List<String> CONTRIBUTORS = List.of("0x1111111111111111111111111111111111111111",
            "0x2222222222222222222222222222222222222222", "0x3333333333333333333333333333333333333333");
    static final String ADAPTER = "a".repeat(64);
    static final String ADAPTER_WITHOUT_CREATOR = "b".repeat(64);
    static final String UNKNOWN_ADAPTER = "c".repeat(64);
    static final long EPOCH_MS = 10_000;
    static final long START = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final String[] WORDS = ("licensor licensee warranty indemnify covenant jurisdiction arbitration "
            + "severability assignment sublicense royalty perpetual irrevocable territory consideration breach remedy "
            + "notice termination confidential derivative attribution patent trademark copyright source object form "
            + "distribution modification contributor grant express implied liability damages").split(" ");

    final Path directory;
    final String lakeRoot;
    final Map<String, String> texts = new LinkedHashMap<>();
    final Map<String, String> contributorOf = new HashMap<>();

    StreamFixture(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory.resolve("lake"));
        this.lakeRoot = "file:" + directory.resolve("lake").toAbsolutePath();
        Random random = new Random(7);
        for (int c = 0; c < 9; c++) {
            StringBuilder text = new StringBuilder("Section " + c + ".");
            while (text.length() < 400) {
                text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            String id = ContributionId.ofText(text.toString()).hex();
            texts.put(id, text.toString());
            contributorOf.put(id, CONTRIBUTORS.get(c % 3));
        }
    }

    String hocon(long checkpointMs) {
        return "tributary.attribution { treasury = \"" + TREASURY + "\", epoch-length-seconds = " + (EPOCH_MS / 1000)
                + ", out-of-orderness-ms = 1000, allowed-lateness-ms = 2000, checkpoint-interval-ms = " + checkpointMs
                + ", min-span-tokens = 16, max-count = 100, refresh-seconds = 1, parallelism = 1, source = \"files\""
                + ", monitor-interval-ms = 200 }\n";
    }

    AttributionSettings settings(long checkpointMs) {
        return AttributionSettings.from(TributaryConfig.parse(hocon(checkpointMs), directory)
                .withLake(lakeRoot, directory));
    }

    Path writeConf(long checkpointMs) throws IOException {
        Path conf = directory.resolve("test.conf");
        Files.writeString(conf, hocon(checkpointMs));
        return conf;
    }

    /** Tables the stream reads, and the index. */
    void writeLake() throws IOException {
        Engine engine = KernelTable.engine(Map.of());
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        KernelTable.writing(engine, lakeRoot, LakeTable.DATANETS).append(List.of(row(
                "datanet", DATANET, "name", "Legal", "topic", "law", "owner", CREATOR,
                "protocol_bps", 500, "creator_bps", 1500, "contributors_bps", 8000, "created_at", now)));
        List<Map<String, Object>> contributions = new ArrayList<>();
        long order = 0;
        for (Map.Entry<String, String> text : texts.entrySet()) {
            contributions.add(row("contribution_id", text.getKey(), "datanet", DATANET, "contributor",
                    contributorOf.get(text.getKey()), "signature", "0x", "license", "CC0-1.0", "ingested_at", now,
                    "batch_id", "batch-1", "ingest_order", order++, "text_bytes",
                    text.getValue().getBytes(StandardCharsets.UTF_8).length, "text", text.getValue()));
        }
        KernelTable.writing(engine, lakeRoot, LakeTable.CONTRIBUTIONS).append(contributions);
        String trainIds = String.join(",", texts.keySet());
        KernelTable.writing(engine, lakeRoot, LakeTable.ADAPTERS).append(List.of(
                row("adapter_id", ADAPTER, "datanet", DATANET, "datanet_version", 0L, "creator", CREATOR,
                        "train_contribution_ids", trainIds),
                row("adapter_id", ADAPTER_WITHOUT_CREATOR, "datanet", DATANET, "datanet_version", 0L,
                        "train_contribution_ids", trainIds)));
        Path index = directory.resolve("lake/indexes/" + DATANET);
        Files.createDirectories(index.resolve("shards"));
        List<IndexedDocument> documents = new ArrayList<>();
        for (Map.Entry<String, String> text : texts.entrySet()) {
            documents.add(new IndexedDocument(new ContributionId(text.getKey()), Address.of(contributorOf.get(text.getKey())),
                    new ByteTokenizer().encode(text.getValue()).tokens()));
        }
        ShardWriter.Summary summary;
        try (OutputStream out = Files.newOutputStream(index.resolve("shards/shard-000000.trib"))) {
            summary = ShardWriter.write(documents, 1, out);
        }
        IndexManifest manifest = IndexManifest.empty(DATANET, ByteTokenizer.NAME).plus(0, List.of(new IndexManifest.Entry(0,
                "shards/shard-000000.trib", 0, summary.tokens(), summary.documents(), summary.bytes(), summary.sha256(),
                0, order - 1)));
        Files.writeString(index.resolve(IndexManifest.FILE_NAME), manifest.toJson());
    }

    /** The log's lines in order: {@code count} records over the epochs plus bad lines, a duplicate and a late record. */
    List<String> logLines(int count) {
        Random random = new Random(11);
        List<String> ids = new ArrayList<>(texts.keySet());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long servedAt = START + i * 150L + random.nextInt(400); // ~7 per second, slightly out of order
            String adapter = switch (i % 5) {
                case 0 -> "";
                case 4 -> ADAPTER_WITHOUT_CREATOR;
                default -> ADAPTER;
            };
            String text = texts.get(ids.get(random.nextInt(ids.size())));
            int from = random.nextInt(text.length() - 80);
            String completion = "In short: " + text.substring(from, from + 40 + random.nextInt(40)) + " and so on.";
            lines.add(record("fixture-" + i, servedAt, adapter, completion, BigInteger.valueOf(1_000_000L + 7919L * i)));
            if (i == count / 3) {
                lines.add("{not json");
                lines.add(record("fixture-unknown", servedAt, UNKNOWN_ADAPTER, completion, BigInteger.TEN));
                lines.add(record("fixture-" + i, servedAt, adapter, completion, BigInteger.ONE)); // duplicate id
            }
            if (i == count / 2) {
                lines.add(record("fixture-bad-fee", servedAt, adapter, completion, BigInteger.ONE).replace("\"1\"", "\"-5\""));
                // 25 s late: its epoch has closed by now
                lines.add(record("fixture-late", servedAt - 25_000, ADAPTER, completion, BigInteger.valueOf(777)));
            }
        }
        return lines;
    }

    static String record(String id, long servedAt, String adapter, String completion, BigInteger fee) {
        boolean base = adapter.isEmpty();
        return new InferenceRecord(id, Instant.ofEpochMilli(servedAt), adapter, base ? "" : DATANET,
                base ? OptionalLong.empty() : OptionalLong.of(0), "e".repeat(64), base ? "" : "f".repeat(64),
                Address.of("0x4444444444444444444444444444444444444444"), "0123456789abcdef", 12, completion.length(),
                completion, "stop", fee, "price-1").toJsonLine();
    }

    /** Writes lines as log files of {@code perFile} lines, numbered from {@code firstFile}, mtimes increasing. */
    List<Path> writeLog(List<String> lines, int perFile, int firstFile) throws IOException {
        Path log = directory.resolve("lake").resolve(InferenceLogFiles.DIRECTORY);
        Files.createDirectories(log);
        List<Path> files = new ArrayList<>();
        for (int start = 0, n = firstFile; start < lines.size(); start += perFile, n++) {
            Path file = log.resolve(InferenceLogFiles.completeName("fixture", n));
            Path hidden = log.resolve(InferenceLogFiles.inProgressName("fixture", n));
            Files.writeString(hidden, String.join("\n", lines.subList(start, Math.min(lines.size(), start + perFile))) + "\n");
            Files.setLastModifiedTime(hidden, FileTime.fromMillis(1_700_000_000_000L + n * 1000L));
            Files.move(hidden, file);
            files.add(file);
        }
        return files;
    }

    /** Sends the lines to the topic in order, keyed by inference id as serving's Kafka sink does. */
    static void produce(String bootstrapServers, String topic, List<String> lines) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String line : lines) {
                // The unparsable line has no id: key it by itself.
                String key = line.startsWith("{\"inference_id\":\"") ? line.substring(17, line.indexOf('"', 17)) : line;
                producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                        line.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /** Every table the stream writes, as sorted row strings without the wall-clock columns: equal means identical. */
    Map<String, List<String>> tables() {
        Engine engine = KernelTable.engine(Map.of());
        Map<String, List<String>> all = new TreeMap<>();
        for (LakeTable table : List.of(LakeTable.INFERENCES, LakeTable.ATTRIBUTIONS, LakeTable.EPOCH_PAYOUTS,
                LakeTable.ATTRIBUTION_EPOCHS, LakeTable.REJECTED_INFERENCES)) {
            all.put(table.tableName(), KernelTable.reading(engine, lakeRoot, table).readAll().stream().map(row -> {
                Map<String, Object> copy = new TreeMap<>(row);
                copy.remove("closed_at");
                copy.remove("rejected_at");
                copy.computeIfPresent("raw", (k, v) -> new String((byte[]) v, StandardCharsets.UTF_8));
                return copy.toString();
            }).sorted().collect(Collectors.toList()));
        }
        return all;
    }

    List<Map<String, Object>> rows(LakeTable table) {
        return KernelTable.reading(KernelTable.engine(Map.of()), lakeRoot, table).readAll();
    }

    static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }
}
