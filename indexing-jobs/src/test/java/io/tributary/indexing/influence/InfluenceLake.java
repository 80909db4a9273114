package io.tributary.indexing.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.core.hash.Hashing;
import io.tributary.core.lake.LakeTable;
import io.tributary.lake.spark.SparkSchemas;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.llama.ModelWeights;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.lora.AdapterFingerprint;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.lora.LoraSettings;
import io.tributary.model.safetensors.SafetensorsWriter;
import io.tributary.model.safetensors.Tensor;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A lake and model directory for influence tests, laid out as ingestion and training-jobs leave them: a random
 * tiny base model, a LoRA adapter in PEFT layout (with checkpoints and learning_rates.json when asked),
 * contributions in the {@code contributions} table and the adapter's row in {@code adapters}.
 */
final class InfluenceLake {
    static final int SEQUENCE_LENGTH = 48;
    static final LoraSettings LORA = new LoraSettings(2, 4, 0.0, List.of("q_proj", "v_proj"), false);

    private InfluenceLake() {}

    record Text(String text, String contributor) {
        String id() {
            return Hashing.sha256Hex(text);
        }
    }

    static Path baseModel(Path directory) {
        if (!Files.isRegularFile(directory.resolve("model.safetensors"))) {
            TinyModels.write(directory, TinyModels.untiedGqa(), 11, TensorDtype.F32);
        }
        return directory;
    }

    /** A model and adapter loaded in this JVM, as the job loads them (tests change the adapter in place). */
    static LoadedModel load(Path base, Path adapter, int projectionDim, long seed) {
        NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.load(base, manager);
        LoraAdapter lora = adapter == null
                ? LoraAdapter.fresh(model.config(), LORA, "tiny", seed, manager)
                : LoraAdapter.load(adapter, model.config(), manager);
        model.useAdapter(lora);
        List<GradientProjection> projections = new ArrayList<>();
        lora.pairs().forEach((module, pair) -> projections.add(new GradientProjection(module,
                (int) (pair.a().size() + pair.b().size()), projectionDim, seed)));
        return new LoadedModel(manager, model, lora, TextTokenizer.forModel(base, model.config()), projections);
    }

    /** Wider adapter (every projection, rank 4) that can fit a few short texts well. */
    static final LoraSettings WIDE = new LoraSettings(4, 8, 0.0,
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"), false);

    static LoadedModel loadWide(Path base, int projectionDim, long seed) {
        NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.load(base, manager);
        LoraAdapter lora = LoraAdapter.fresh(model.config(), WIDE, "tiny", seed, manager);
        model.useAdapter(lora);
        List<GradientProjection> projections = new ArrayList<>();
        lora.pairs().forEach((module, pair) -> projections.add(new GradientProjection(module,
                (int) (pair.a().size() + pair.b().size()), projectionDim, seed)));
        return new LoadedModel(manager, model, lora, TextTokenizer.forModel(base, model.config()), projections);
    }

    /** Fills every B with seeded N(0, scale) values, as training would leave them (a fresh adapter has B = 0). */
    static void randomizeB(LoadedModel loaded, float scale, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        loaded.adapter().pairs().values().forEach(pair -> {
            float[] values = new float[(int) pair.b().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * scale);
            }
            try (NDArray noise = loaded.manager().create(values, pair.b().getShape())) {
                pair.b().addi(noise);
            }
        });
    }

    /** One plain gradient step on the adapter: theta -= rate * gradient(example). */
    static void step(LoadedModel loaded, String text, double rate, ExampleGradients.Reduction reduction) {
        ExampleGradients.Result result = ExampleGradients.compute(loaded,
                ExampleWindows.of(text, loaded.tokenizer(), SEQUENCE_LENGTH), reduction);
        loaded.adapter().pairs().forEach((module, pair) -> {
            float[] gradient = result.gradients().get(module);
            int aSize = (int) pair.a().size();
            float[] a = new float[aSize];
            float[] b = new float[gradient.length - aSize];
            System.arraycopy(gradient, 0, a, 0, aSize);
            System.arraycopy(gradient, aSize, b, 0, b.length);
            try (NDArray da = loaded.manager().create(a, pair.a().getShape());
                 NDArray db = loaded.manager().create(b, pair.b().getShape())) {
                pair.a().subi(da.mul((float) rate));
                pair.b().subi(db.mul((float) rate));
            }
        });
    }

    /** Adam (no weight decay) over an adapter's A and B, for fitting adapters inside tests. */
    static final class Adam {
        private final Map<String, float[]> first = new java.util.HashMap<>();
        private final Map<String, float[]> second = new java.util.HashMap<>();
        private int t;

        void step(LoadedModel loaded, String text, double rate) {
            ExampleGradients.Result result = ExampleGradients.compute(loaded,
                    ExampleWindows.of(text, loaded.tokenizer(), SEQUENCE_LENGTH), ExampleGradients.Reduction.MEAN);
            t++;
            loaded.adapter().pairs().forEach((module, pair) -> {
                float[] gradient = result.gradients().get(module);
                float[] m = first.computeIfAbsent(module, key -> new float[gradient.length]);
                float[] v = second.computeIfAbsent(module, key -> new float[gradient.length]);
                float[] update = new float[gradient.length];
                for (int i = 0; i < gradient.length; i++) {
                    m[i] = 0.9f * m[i] + 0.1f * gradient[i];
                    v[i] = 0.999f * v[i] + 0.001f * gradient[i] * gradient[i];
                    double mHat = m[i] / (1 - Math.pow(0.9, t));
                    double vHat = v[i] / (1 - Math.pow(0.999, t));
                    update[i] = (float) (rate * mHat / (Math.sqrt(vHat) + 1e-8));
                }
                int aSize = (int) pair.a().size();
                float[] a = java.util.Arrays.copyOfRange(update, 0, aSize);
                float[] b = java.util.Arrays.copyOfRange(update, aSize, update.length);
                try (NDArray da = loaded.manager().create(a, pair.a().getShape());
                     NDArray db = loaded.manager().create(b, pair.b().getShape())) {
                    pair.a().subi(da);
                    pair.b().subi(db);
                }
            });
        }
    }

    /** Saves the adapter's current values as a Trainer checkpoint (parameter/<name> tensors) at {@code step}. */
    static void checkpoint(LoadedModel loaded, Path adapterDirectory, int step) throws Exception {
        Path directory = adapterDirectory.resolve("checkpoints").resolve(String.format("step-%08d", step));
        Files.createDirectories(directory);
        List<Tensor> tensors = new ArrayList<>();
        loaded.adapter().parameters().forEach((name, array) ->
                tensors.add(ModelWeights.tensor("parameter/" + name, array, TensorDtype.F32)));
        SafetensorsWriter.write(directory.resolve("state.safetensors"), Map.of(), tensors);
        Files.writeString(directory.resolve("state.json"), "{\"step\": " + step + "}\n");
    }

    static void learningRates(Path adapterDirectory, double... rates) throws Exception {
        String list = java.util.Arrays.stream(rates).mapToObj(Double::toString).collect(Collectors.joining(", "));
        Files.writeString(adapterDirectory.resolve(AdapterInputs.LEARNING_RATES_FILE),
                "{\"steps\": " + rates.length + ", \"learning_rates\": [" + list + "]}\n");
    }

    static void appendContributions(SparkSession spark, String lakeRoot, String datanet, List<Text> texts) {
        Timestamp now = Timestamp.from(Instant.parse("2026-12-01T00:00:00Z"));
        List<Row> rows = new ArrayList<>();
        long order = 0;
        for (Text text : texts) {
            rows.add(RowFactory.create(text.id(), datanet, text.contributor(), "0xsignature", "MIT", null, null, now,
                    "batch", order++, text.text().length(), text.text()));
        }
        spark.createDataFrame(rows, SparkSchemas.of(LakeTable.CONTRIBUTIONS)).write().format("delta")
                .mode(SaveMode.Append).save(LakeTable.CONTRIBUTIONS.path(lakeRoot));
    }

    /** Registers the adapter at {@code adapterDirectory}; returns its id. */
    static String register(SparkSession spark, String lakeRoot, String datanet, long version, Path base, Path adapterDirectory,
                           List<Text> train, List<Text> eval) {
        return register(spark, lakeRoot, datanet, version, base, adapterDirectory, train, eval,
                "{\"sequence_length\": " + SEQUENCE_LENGTH + "}");
    }

    /** As training registers an adapter, with the given {@code hyper_parameters} JSON. */
    static String register(SparkSession spark, String lakeRoot, String datanet, long version, Path base, Path adapterDirectory,
                           List<Text> train, List<Text> eval, String hyperParameters) {
        String adapterSha = AdapterFingerprint.sha256(adapterDirectory);
        String baseSha = ModelDirectory.fingerprint(base);
        String id = Hashing.sha256Hex(String.join("\u0000", "tributary-adapter", adapterSha, baseSha, datanet,
                Long.toString(version)));
        Row row = RowFactory.create(id, base.toAbsolutePath().toString(), baseSha, datanet, version, "contributions",
                (long) (train.size() + eval.size()), ids(train), ids(eval), hyperParameters,
                "q_proj,v_proj", LORA.rank(), LORA.alpha(), 1L, 0L, null, null, 0.0,
                adapterDirectory.toAbsolutePath().toString(), adapterSha, "", Timestamp.from(Instant.now()), null);
        spark.createDataFrame(List.of(row), SparkSchemas.of(LakeTable.ADAPTERS)).write().format("delta")
                .mode(SaveMode.Append).save(LakeTable.ADAPTERS.path(lakeRoot));
        return id;
    }

    private static String ids(List<Text> texts) {
        return texts.stream().map(Text::id).sorted().collect(Collectors.joining(","));
    }

    static LlamaConfig config() {
        return TinyModels.untiedGqa();
    }
}
