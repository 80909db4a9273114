package io.tributary.clustertests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.engine.Engine;
import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hashing;
import io.tributary.core.inference.InferenceLogFiles;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.adapters.AdapterRecord;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.testing.flink.FlinkSession;
import io.tributary.testing.kafka.EmbeddedKafka;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster path end to end, beside the local path on the same sample world. Cluster: the lake on HDFS (a
 * MiniDFSCluster), the profile {@code conf/cluster.conf} as a user fills it (included, a few keys overridden, the rest
 * from the environment), the Spark commands run from their module jars in their own JVMs with {@code local[2]} (the
 * main class and jars spark-submit takes), the inference log through Kafka, the attribution job jar submitted through
 * REST to a Flink session cluster in its own JVM. Local: the embedded defaults ({@code conf/local.conf}), a lake on
 * the local disk, the log as files, {@code attribute --until-end}. Both must pay the same epochs to the wei.
 */
class ClusterPathIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATANET = "legal";
    private static final String TOPIC = "tributary-inferences";
    private static final String CREATOR = "0x00000000000000000000000000000000000c0ffe";
    private static final String ADAPTER = Hashing.sha256Hex("cluster-path adapter");
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final int INFERENCES = 24;
    /** The profile's chain id (conf/cluster.conf: Base Sepolia), which the test's Anvil reports. */
    private static final long CHAIN_ID = 84532;
    /** Shared by both profiles, so only the infrastructure differs between the paths. */
    private static final String ATTRIBUTION = "tributary.attribution { epoch-length-seconds = 10, out-of-orderness-ms = 1000,"
            + " allowed-lateness-ms = 2000, checkpoint-interval-ms = 500, refresh-seconds = 1 }\n";

    @TempDir
    Path base;

    @Test
    void clusterPathPaysTheSameEpochsAsTheLocalPath() throws Exception {
        Path home = Path.of(System.getProperty("tributary.home")).toRealPath();
        Path tools = home.resolve("tools/node_modules");
        Path spdx = writeLicenseSubset(tools.resolve("spdx-license-list/spdx-full.json"), base.resolve("spdx-subset.json"), 24);
        Configuration hdfsConfiguration = new Configuration();
        hdfsConfiguration.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(hdfsConfiguration).numDataNodes(1).build();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            hdfs.waitActive();
            String clusterLake = "hdfs://localhost:" + hdfs.getNameNodePort() + "/tributary/lake";
            Map<String, String> clusterEnvironment = Map.of("TRIBUTARY_HOME", home.toString(), "TRIBUTARY_TOOLS",
                    tools.toString(), "TRIBUTARY_LAKE", clusterLake, "TRIBUTARY_SPARK_MASTER", "local[2]",
                    "TRIBUTARY_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
            Path clusterConf = Files.writeString(base.resolve("cluster.conf"), "include file(\""
                    + home.resolve("conf/cluster.conf") + "\")\n"
                    + "tributary.spark { shuffle-partitions = 4, conf { \"spark.ui.enabled\" = false } }\n"
                    + "tributary.hadoop.conf { \"dfs.replication\" = \"1\" }\n" + ATTRIBUTION
                    // Deployment files under the test's directory; Anvil mines at once, so poll receipts often.
                    + "tributary.chain { state-dir = \"" + base.resolve("chain-state") + "\", poll-interval-ms = 200 }\n");
            ModuleLauncher cluster = new ModuleLauncher(home, base.resolve("cluster"), clusterEnvironment);

            // Stage 1: the sample world into the HDFS lake with the Spark jobs' jars.
            Path world = base.resolve("world");
            JsonNode sample = JSON.readTree(cluster.run("ingestion", "sample-world", "--out", world.toString(), "--spdx",
                    spdx.toString(), "--contributors", "6", "--json", "--conf", clusterConf.toString()));
            buildLake(cluster, clusterConf, sample.get("owner").asText(), world);
            assertThat(hdfs.getFileSystem().exists(new org.apache.hadoop.fs.Path("/tributary/lake/indexes/" + DATANET
                    + "/manifest.json"))).isTrue();
            registerAdapter(clusterLake);
            List<String> log = inferenceLog(clusterLake);

            // Stage 2: the log through Kafka, the job jar through the Flink session cluster's REST API.
            kafka.createTopic(TOPIC, 1);
            produce(kafka.bootstrapServers(), log);
            try (FlinkSession flink = FlinkSession.start(base.resolve("flink"), 2, clusterEnvironment)) {
                String jarId = flink.uploadJar(Path.of(System.getProperty("tributary.flinkJobJar")));
                String jobId = flink.runJar(jarId, "io.tributary.attribution.FlinkJobMain",
                        List.of("--conf", clusterConf.toString(), "--source", "kafka", "--until-end"));
                String state = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                        .until(() -> flink.jobState(jobId), FlinkSession.TERMINAL_STATES::contains);
                assertThat(state).as(() -> diagnostics(flink, jobId)).isEqualTo("FINISHED");
            }
            List<String> clusterPayouts = payouts(clusterLake);

            // Stage 3: the chain, a node the operator reaches by URL with a keystore key: deploy, anchor, settle, claim.
            settleOnChain(home, tools, clusterConf, clusterEnvironment, clusterLake);

            // The local path: embedded defaults, the same world and log.
            String localLake = "file:" + base.resolve("local-lake");
            Path localConf = Files.writeString(base.resolve("local.conf"), "include file(\""
                    + home.resolve("conf/local.conf") + "\")\ntributary.lake.root = \"" + localLake + "\"\n"
                    + "tributary.spark.master = \"local[2]\"\n" + ATTRIBUTION);
            ModuleLauncher local = new ModuleLauncher(home, base.resolve("local"), Map.of("TRIBUTARY_HOME",
                    home.toString(), "TRIBUTARY_TOOLS", tools.toString()));
            buildLake(local, localConf, sample.get("owner").asText(), world);
            registerAdapter(localLake);
            assertThat(inferenceLog(localLake)).isEqualTo(log);
            writeLogFile(base.resolve("local-lake"), log);
            local.run("attribution-stream", "attribute", "--until-end", "--conf", localConf.toString());
            List<String> localPayouts = payouts(localLake);

            assertThat(clusterPayouts).isNotEmpty().anyMatch(row -> row.contains("role=contributor"))
                    .anyMatch(row -> row.contains("role=creator")).anyMatch(row -> row.contains("role=protocol"));
            assertThat(clusterPayouts).isEqualTo(localPayouts);
            assertThat(sum(clusterLake, LakeTable.EPOCH_PAYOUTS, "wei")).isEqualTo(sum(clusterLake, LakeTable.INFERENCES, "fee_wei"));
        } finally {
            hdfs.shutdown();
        }
    }

    /**
     * The chain stage as an operator runs it against a remote node: Anvil with the profile's chain id (84532, so the
     * dev-key guard cannot apply: not 31337, not started by {@code chain up}), a fresh key in a keystore funded from a
     * dev account, then {@code chain deploy}, {@code anchor --datanet}, {@code settle --epoch N}, {@code proof} and
     * {@code claim}, each in its own JVM with {@code TRIBUTARY_RPC_URL}, {@code TRIBUTARY_KEYSTORE} and
     * {@code TRIBUTARY_KEYSTORE_PASSWORD} (and the printed contract addresses) in its environment. The chain is
     * checked with cast: the posted root and total, every account's leaf against the root, the claimed wei.
     */
    private void settleOnChain(Path home, Path tools, Path clusterConf, Map<String, String> clusterEnvironment,
                               String clusterLake) throws Exception {
        String profile = clusterConf.toString();
        try (RemoteNode node = RemoteNode.start(tools, base.resolve("anvil"), CHAIN_ID)) {
            String password = Hashing.sha256Hex("keystore password " + System.nanoTime());
            RemoteNode.Keystore operator = node.newKeystore(base.resolve("keystore"), password);
            node.fund(operator.address(), "10");
            Map<String, String> environment = new LinkedHashMap<>(clusterEnvironment);
            environment.put("TRIBUTARY_RPC_URL", node.rpcUrl());
            environment.put("TRIBUTARY_KEYSTORE", operator.file().toString());
            environment.put("TRIBUTARY_KEYSTORE_PASSWORD", password);
            JsonNode deployment = JSON.readTree(new ModuleLauncher(home, base.resolve("chain-deploy"), environment)
                    .run("settlement", "chain", "deploy", "--rpc", node.rpcUrl(), "--json", "--conf", profile));
            assertThat(deployment.get("chain_id").asLong()).isEqualTo(CHAIN_ID);
            assertThat(deployment.get("operator").asText()).isEqualToIgnoringCase(operator.address())
                    .isNotEqualToIgnoringCase(RemoteNode.FAUCET);
            String token = deployment.get("token").asText();
            String distributor = deployment.get("distributor").asText();
            String registry = deployment.get("registry").asText();
            // What a user copies from `chain deploy --json` into the environment the profile reads.
            environment.put("TRIBUTARY_TOKEN", token);
            environment.put("TRIBUTARY_DISTRIBUTOR", distributor);
            environment.put("TRIBUTARY_REGISTRY", registry);
            ModuleLauncher chain = new ModuleLauncher(home, base.resolve("chain"), environment);

            JsonNode anchored = JSON.readTree(chain.run("settlement", "anchor", "--datanet", DATANET, "--json", "--conf", profile));
            List<Map<String, Object>> anchors = KernelTable.reading(engine(), clusterLake, LakeTable.BATCH_ANCHORS).readAll();
            assertThat(anchored.get("anchored").asLong()).isPositive().isEqualTo(anchors.size());
            for (Map<String, Object> anchor : anchors) {
                assertThat(node.call(registry, "batch(string)(bytes32,uint64,uint64)", (String) anchor.get("batch_id"))
                        .lines().findFirst().orElseThrow()).isEqualToIgnoringCase((String) anchor.get("merkle_root"));
            }

            // The first epoch the stream closed; what it owes per account (roles summed), from epoch_payouts.
            Map<String, Object> closed = KernelTable.reading(engine(), clusterLake, LakeTable.ATTRIBUTION_EPOCHS).readAll()
                    .stream().min(Comparator.comparing(row -> (Long) row.get("epoch"))).orElseThrow();
            long epoch = (Long) closed.get("epoch");
            Map<String, BigInteger> owed = new java.util.TreeMap<>();
            String contributor = null;
            for (Map<String, Object> row : KernelTable.reading(engine(), clusterLake, LakeTable.EPOCH_PAYOUTS).readAll()) {
                if (row.get("epoch").equals(epoch)) {
                    String account = ((String) row.get("account")).toLowerCase(java.util.Locale.ROOT);
                    owed.merge(account, new BigInteger((String) row.get("wei")), BigInteger::add);
                    if ("contributor".equals(row.get("role")) && contributor == null) {
                        contributor = account;
                    }
                }
            }
            owed.values().removeIf(wei -> wei.signum() == 0);
            BigInteger total = owed.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
            assertThat(contributor).as("a contributor is paid in epoch %d", epoch).isNotNull();

            JsonNode settled = JSON.readTree(chain.run("settlement", "settle", "--epoch", Long.toString(epoch), "--json",
                    "--conf", profile));
            String root = settled.get("root").asText();
            assertThat(settled.get("status").asText()).isEqualTo("posted");
            assertThat(settled.get("total").asText()).isEqualTo(total.toString());
            assertThat(settled.get("accounts").asInt()).isEqualTo(owed.size());
            assertThat(node.call(distributor, "epochRoot(uint256)(bytes32)", Long.toString(epoch))).isEqualToIgnoringCase(root);
            assertThat(node.call(distributor, "epochTotal(uint256)(uint256)", Long.toString(epoch))).isEqualTo(total.toString());
            assertThat(node.call(registry, "batch(string)(bytes32,uint64,uint64)", "attribution-epoch-" + epoch)
                    .lines().findFirst().orElseThrow()).isEqualToIgnoringCase((String) closed.get("inferences_root"));
            // Every account's leaf, with the wei epoch_payouts owes it, verifies against the posted root: with the
            // total equal too, the root pays exactly these accounts these amounts.
            Map<String, BigInteger> proven = new java.util.TreeMap<>();
            for (Map<String, Object> row : KernelTable.reading(engine(), clusterLake, LakeTable.PAYOUTS).readAll()) {
                if (!row.get("epoch").equals(epoch)) {
                    continue;
                }
                String account = ((String) row.get("account")).toLowerCase(java.util.Locale.ROOT);
                BigInteger amount = owed.get(account);
                assertThat(amount).as("payout row for %s", account).isNotNull();
                @SuppressWarnings("unchecked")
                List<String> proof = (List<String>) row.get("proof");
                String leaf = node.payoutLeaf((Long) row.get("index"), account, amount.toString());
                assertThat(node.call(distributor, "verify(bytes32[],bytes32,bytes32)(bool)",
                        "[" + String.join(",", proof) + "]", root, leaf)).as("proof of %s", account).isEqualTo("true");
                proven.put(account, amount);
            }
            assertThat(proven).isEqualTo(owed);

            // A contributor's proof through the CLI, then the claim: the token moves exactly the owed wei.
            BigInteger before = new BigInteger(node.call(token, "balanceOf(address)(uint256)", contributor));
            JsonNode proof = JSON.readTree(chain.run("settlement", "proof", "--epoch", Long.toString(epoch), "--account",
                    contributor, "--json", "--conf", profile));
            assertThat(proof.get("amount").asText()).isEqualTo(owed.get(contributor).toString());
            assertThat(proof.get("claimed").asBoolean()).isFalse();
            JsonNode claim = JSON.readTree(chain.run("settlement", "claim", "--epoch", Long.toString(epoch), "--account",
                    contributor, "--json", "--conf", profile));
            assertThat(claim.get("status").asText()).isEqualTo("claimed");
            BigInteger after = new BigInteger(node.call(token, "balanceOf(address)(uint256)", contributor));
            assertThat(after.subtract(before)).isEqualTo(owed.get(contributor));
            assertThat(node.call(distributor, "epochClaimed(uint256)(uint256)", Long.toString(epoch)))
                    .isEqualTo(owed.get(contributor).toString());
        }
    }

    /** datanet create, ingest, dedup and index build: four Spark commands, each in its own JVM. */
    private static void buildLake(ModuleLauncher launcher, Path conf, String owner, Path world) throws Exception {
        String profile = conf.toString();
        launcher.run("ingestion", "datanet", "create", "--id", DATANET, "--name", "Open source licenses", "--topic",
                "legal", "--owner", owner, "--conf", profile);
        launcher.run("ingestion", "ingest", "--datanet", DATANET, "--input", world.resolve(DATANET).toString(), "--conf", profile);
        launcher.run("indexing-jobs", "dedup", "--datanet", DATANET, "--conf", profile);
        launcher.run("indexing-jobs", "index", "build", "--datanet", DATANET, "--conf", profile);
    }

    /** The first {@code count} license texts of the real SPDX list (CC0), in its order: a small sample world. */
    private static Path writeLicenseSubset(Path spdx, Path out, int count) throws Exception {
        assertThat(spdx).as("SPDX texts from tools/ (npm ci)").isRegularFile();
        JsonNode all = JSON.readTree(spdx.toFile());
        ObjectNode subset = JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = all.fields();
        while (fields.hasNext() && subset.size() < count) {
            Map.Entry<String, JsonNode> field = fields.next();
            subset.set(field.getKey(), field.getValue());
        }
        JSON.writeValue(out.toFile(), subset);
        return out;
    }

    /** An adapter of the Datanet at its current contributions version (training is covered by training-jobs). */
    private static void registerAdapter(String lake) {
        Engine engine = engine();
        KernelTable contributions = KernelTable.reading(engine, lake, LakeTable.CONTRIBUTIONS);
        String ids = contributionTexts(lake).keySet().stream().sorted().collect(Collectors.joining(","));
        new AdapterRegistry(engine, lake).register(new AdapterRecord(ADAPTER, "models/base", "e".repeat(64), DATANET,
                contributions.latestVersion(), "contributions", 0, ids, "", "{}", "q_proj,v_proj", 8, 16.0, 1, 0, null, null,
                0.0, "adapters/legal", "f".repeat(64), CREATOR, Instant.parse("2026-11-30T00:00:00Z"), "legal-v1"));
    }

    private static Map<String, String> contributionTexts(String lake) {
        Map<String, String> texts = new java.util.TreeMap<>();
        for (Map<String, Object> row : KernelTable.reading(engine(), lake, LakeTable.CONTRIBUTIONS).readAll()) {
            texts.put((String) row.get("contribution_id"), (String) row.get("text"));
        }
        return texts;
    }

    /** Completions quoting the lake's contributions (and base-model ones), 1.5 s apart: four 10 s epochs. */
    private static List<String> inferenceLog(String lake) {
        List<String> texts = new ArrayList<>(contributionTexts(lake).values());
        long version = KernelTable.reading(engine(), lake, LakeTable.CONTRIBUTIONS).latestVersion();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < INFERENCES; i++) {
            String text = texts.get((i * 7) % texts.size());
            int from = (i * 131) % Math.max(1, text.length() - 200);
            String completion = "As the license says: " + text.substring(from, Math.min(text.length(), from + 160));
            boolean base = i % 6 == 0;
            lines.add(new InferenceRecord("cluster-" + i, START.plusMillis(1500L * i), base ? "" : ADAPTER,
                    base ? "" : DATANET, base ? OptionalLong.empty() : OptionalLong.of(version), "e".repeat(64),
                    base ? "" : "f".repeat(64), Address.of("0x4444444444444444444444444444444444444444"),
                    "0123456789abcdef", 20, completion.length(), completion, "stop",
                    BigInteger.valueOf(3_000_000_000_000L + 104_729L * i), "price-1").toJsonLine());
        }
        return lines;
    }

    private static void produce(String bootstrapServers, List<String> lines) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String line : lines) {
                String id = JSON.readTree(line).get(InferenceRecord.INFERENCE_ID).asText();
                producer.send(new ProducerRecord<>(TOPIC, id.getBytes(StandardCharsets.UTF_8),
                        line.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static void writeLogFile(Path lakeDirectory, List<String> lines) throws Exception {
        Path directory = Files.createDirectories(lakeDirectory.resolve(InferenceLogFiles.DIRECTORY));
        Path hidden = directory.resolve(InferenceLogFiles.inProgressName("cluster-path", 1));
        Files.writeString(hidden, String.join("\n", lines) + "\n");
        Files.move(hidden, directory.resolve(InferenceLogFiles.completeName("cluster-path", 1)));
    }

    /** Every epoch_payouts row as text, sorted: equal lists mean the same payouts to the wei. */
    private static List<String> payouts(String lake) {
        return KernelTable.reading(engine(), lake, LakeTable.EPOCH_PAYOUTS).readAll().stream()
                .map(row -> new java.util.TreeMap<>(row).toString()).sorted(Comparator.naturalOrder())
                .collect(Collectors.toList());
    }

    private static BigInteger sum(String lake, LakeTable table, String column) {
        return KernelTable.reading(engine(), lake, table).readAll().stream()
                .map(row -> new BigInteger((String) row.get(column))).reduce(BigInteger.ZERO, BigInteger::add);
    }

    /** Delta Kernel over either lake; one replica, as the single-datanode HDFS has. */
    private static Engine engine() {
        return KernelTable.engine(Map.of("dfs.replication", "1"));
    }

    private static String diagnostics(FlinkSession flink, String jobId) {
        try {
            return flink.jobExceptions(jobId) + "\n" + flink.logTail();
        } catch (Exception e) {
            return e + "\n" + flink.logTail();
        }
    }
}
