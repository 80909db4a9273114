package io.tributary.serving;

import io.tributary.model.lora.AdapterFingerprint;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.crypto.Address;
import io.tributary.core.hash.Hashing;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.adapters.AdapterRecord;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.BytesTokenizer;
import io.tributary.serving.keys.ApiKeyStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A world for serving tests: a random tiny model on disk, a lake, adapters made with {@code LoraAdapter.fresh} and a
 * non-zero B (so each one changes the model's output), saved in PEFT layout and registered, and an API key.
 */
public final class ServingFixture {
    public static final Address PAYER = Address.of("0x00000000000000000000000000000000000000a1");
    public static final Address CREATOR = Address.of("0x00000000000000000000000000000000000000c2");

    public final Path root;
    public final Path model;
    public final String lakeRoot;
    public final Path keystore;
    public final LlamaConfig config;
    public final String baseSha;
    public final List<AdapterRecord> adapters = new ArrayList<>();
    public String key;

    /** A byte-tokenizer model small enough for CPU tests, with room for prompts of a few hundred bytes. */
    public static LlamaConfig tinyConfig() {
        return new LlamaConfig(32, 64, 2, 4, 2, 8, 1e-5, 10000.0, BytesTokenizer.VOCAB_SIZE, 256, false,
                BytesTokenizer.BOS, BytesTokenizer.EOS, LlamaConfig.BYTES_TOKENIZER);
    }

    public ServingFixture(Path root) {
        this.root = root;
        this.config = tinyConfig();
        this.model = TinyModels.write(root.resolve("base"), config, 11, TensorDtype.F32);
        this.baseSha = ModelDirectory.fingerprint(model);
        this.lakeRoot = "file:" + root.resolve("lake").toAbsolutePath();
        this.keystore = root.resolve("keys").resolve("api-keys.json");
        this.key = new ApiKeyStore(keystore).create(PAYER, "test").secret();
    }

    /** Creates, saves and registers {@code count} adapters with ranks cycling through 2, 4 and 8. */
    public List<AdapterRecord> addAdapters(int count, String datanet) {
        AdapterRegistry registry = new AdapterRegistry(KernelTable.engine(Map.of()), lakeRoot);
        List<AdapterRecord> made = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < count; i++) {
                int index = adapters.size();
                int rank = new int[] {2, 4, 8}[index % 3];
                List<String> targets = index % 2 == 0 ? List.of("q_proj", "v_proj") : List.of("q_proj", "k_proj", "o_proj", "down_proj");
                Path directory = root.resolve("adapters").resolve("a" + index);
                try (LoraAdapter adapter = LoraAdapter.fresh(config, new LoraSettings(rank, 2.0 * rank, 0, targets, false), "base",
                        1000 + index, manager)) {
                    SplittableRandom random = new SplittableRandom(5000 + index);
                    adapter.pairs().values().forEach(pair -> {
                        long size = pair.b().size();
                        float[] values = new float[(int) size];
                        for (int v = 0; v < values.length; v++) {
                            values[v] = (float) (random.nextGaussian() * 0.5);
                        }
                        pair.b().addi(manager.create(values, new Shape(pair.b().getShape().getShape())));
                    });
                    adapter.save(directory);
                }
                String adapterSha = AdapterFingerprint.sha256(directory);
                String id = Hashing.sha256Hex(String.join("\u0000", "tributary-adapter", adapterSha, baseSha, datanet, "3"));
                AdapterRecord record = new AdapterRecord(id, model.toString(), baseSha, datanet, 3, "contributions", 10, "", "",
                        "{}", String.join(",", targets), rank, 2.0 * rank, 10, 1000, null, null, 1.0, directory.toString(),
                        adapterSha, CREATOR.value(), Instant.now().truncatedTo(ChronoUnit.MICROS), "adapter-" + index);
                adapters.add(record);
                made.add(record);
            }
        }
        registry.registerAll(made);
        return made;
    }

    /** The configuration of a test server: port 0 on loopback, this fixture's keystore, fast refresh, one engine thread. */
    public ServingSettings settings(String extra) {
        TributaryConfig config = TributaryConfig.parse("""
                tributary.lake.root = "%s"
                tributary.serving {
                  base-model = "%s"
                  port = 0
                  threads = 1
                  refresh-ms = 200
                  drain-seconds = 5
                  keystore = "%s"
                  cache.disk-directory = "%s"
                  default-price { prompt-wei-per-1k = "1000000000000", completion-wei-per-1k = "3000000000001" }
                }
                %s
                """.formatted(lakeRoot, model, keystore, root.resolve("disk-cache"), extra), root);
        return ServingSettings.from(config);
    }

    public InferenceServer start(String extra) {
        return InferenceServer.start(settings(extra), lakeRoot, Map.of());
    }

    public Path logDirectory() {
        return root.resolve("lake").resolve("inference-log");
    }
}
