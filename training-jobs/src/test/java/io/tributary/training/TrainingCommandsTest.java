package io.tributary.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.tributary.model.llama.TinyModels;
import io.tributary.core.cli.CommandLauncher;
import io.tributary.core.hash.Hashing;
import io.tributary.lake.kernel.KernelRows;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.safetensors.TensorDtype;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end over a Delta lake written with Kernel, as the launcher runs them. */
class TrainingCommandsTest {
    static final StructType CONTRIBUTIONS = new StructType()
            .add("contribution_id", StringType.STRING)
            .add("datanet", StringType.STRING)
            .add("contributor", StringType.STRING)
            .add("ingest_order", LongType.LONG)
            .add("text", StringType.STRING);
    static final StructType CORPUS = new StructType()
            .add("contribution_id", StringType.STRING)
            .add("datanet", StringType.STRING)
            .add("canonical_id", StringType.STRING)
            .add("version", LongType.LONG);

    @TempDir
    Path temp;

    private static List<Map<String, Object>> contributions(String datanet, int from, int count) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String text = "Permission is hereby granted to " + datanet + " user " + i + " to use, copy and modify the software.";
            rows.add(KernelRows.of(CONTRIBUTIONS, Hashing.sha256Hex(text), datanet, "0x" + "ab".repeat(20), (long) i, text));
        }
        return rows;
    }

    private JsonNode run(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = CommandLauncher.execute(new TrainingMain(), args);
        } finally {
            System.setOut(original);
        }
        assertThat(status).as(String.join(" ", args)).isZero();
        return new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void lossAfterTrainsOnAnswersRecordsTheMarkerAndRefusesAContributionWithoutIt() throws Exception {
        String lake = temp.resolve("lake").toString();
        KernelTable table = KernelTable.writing(KernelTable.engine(Map.of()), lake + "/contributions", CONTRIBUTIONS, "datanet");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String text = "Q: Which license has number " + i + "? A: License-" + i;
            rows.add(KernelRows.of(CONTRIBUTIONS, Hashing.sha256Hex(text), "qa", "0x" + "ab".repeat(20), (long) i, text));
        }
        table.append(rows);
        Path base = TinyModels.write(temp.resolve("base"), TinyModels.untiedGqa(), 21, TensorDtype.F32);
        // The marker is one argument with its spaces, as a shell passes --loss-after " A: ".
        JsonNode summary = run("train", "lora", "--datanet", "qa", "--base", base.toString(), "--out",
                temp.resolve("answers").toString(), "--steps", "2", "--batch-size", "2", "--sequence-length", "32",
                "--loss-after", " A: ", "--lake", lake, "--json");
        JsonNode whole = run("train", "lora", "--datanet", "qa", "--base", base.toString(), "--out",
                temp.resolve("whole").toString(), "--steps", "2", "--batch-size", "2", "--sequence-length", "32",
                "--lake", lake, "--json");
        assertThat(summary.get("eval_loss_before").asDouble()).isNotCloseTo(whole.get("eval_loss_before").asDouble(),
                org.assertj.core.api.Assertions.within(1e-3));
        // Both fed the same tokens; the answer-only loss counted fewer targets (the answers' bytes and </s> only).
        assertThat(summary.get("tokens").asLong()).isEqualTo(whole.get("tokens").asLong());
        assertThat(summary.get("scored_tokens").asLong()).isPositive().isLessThan(whole.get("scored_tokens").asLong() / 2);
        // The whole text scores every target: a window of sequence-length targets each.
        assertThat(whole.get("scored_tokens").asLong()).isEqualTo(whole.get("tokens").asLong());
        Map<String, String> recorded = new java.util.HashMap<>();
        new io.tributary.lake.kernel.adapters.AdapterRegistry(KernelTable.engine(Map.of()), lake)
                .list(List.of("adapter_id", "hyper_parameters"))
                .forEach(row -> recorded.put((String) row.get("adapter_id"), (String) row.get("hyper_parameters")));
        assertThat(new ObjectMapper().readTree(recorded.get(summary.get("adapter_id").asText())).get("loss_after").asText())
                .isEqualTo(" A: ");
        assertThat(new ObjectMapper().readTree(recorded.get(whole.get("adapter_id").asText())).get("loss_after").asText())
                .isEmpty();

        String unmarked = "A license text without a question.";
        table.append(List.of(KernelRows.of(CONTRIBUTIONS, Hashing.sha256Hex(unmarked), "qa", "0x" + "ab".repeat(20), 12L,
                unmarked)));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = CommandLauncher.execute(new TrainingMain(), "train", "lora", "--datanet", "qa", "--base", base.toString(),
                    "--out", temp.resolve("refused").toString(), "--steps", "2", "--batch-size", "2", "--sequence-length", "32",
                    "--loss-after", " A: ", "--lake", lake);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(status).isNotZero();
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains(Hashing.sha256Hex(unmarked)).contains("' A: '");
    }

    @Test
    void trainsRegistersListsAndMergesAnAdapterPinnedToADatanetVersion() throws Exception {
        String lake = temp.resolve("lake").toString();
        KernelTable table = KernelTable.writing(KernelTable.engine(Map.of()), lake + "/contributions", CONTRIBUTIONS, "datanet");
        long pinned = table.append(contributions("legal", 0, 24));
        table.append(contributions("medical", 0, 5));
        table.append(contributions("legal", 24, 10));

        Path base = TinyModels.write(temp.resolve("base"), TinyModels.untiedGqa(), 21, TensorDtype.F32);
        Path out = temp.resolve("adapter");
        JsonNode summary = run("train", "lora", "--datanet", "legal", "--version", Long.toString(pinned), "--base",
                base.toString(), "--out", out.toString(), "--steps", "4", "--batch-size", "2", "--sequence-length", "32",
                "--target-modules", "q_proj,v_proj,down_proj", "--rank", "4", "--lake", lake, "--json");
        assertThat(summary.get("datanet").asText()).isEqualTo("legal");
        assertThat(summary.get("version").asLong()).isEqualTo(pinned);
        assertThat(summary.get("examples").asInt()).isEqualTo(24);
        assertThat(summary.get("corpus_source").asText()).isEqualTo("contributions");
        assertThat(summary.get("tokens").asLong()).isEqualTo(4 * 2 * 32);
        assertThat(summary.get("adapter_id").asText()).hasSize(64);
        assertThat(summary.get("eval_loss_before").asDouble()).isPositive();
        assertThat(summary.get("registered").asBoolean()).isTrue();
        JsonNode used = new ObjectMapper().readTree(out.resolve("training_contributions.json").toFile());
        assertThat(used.get("train").size() + used.get("eval").size()).isEqualTo(24);
        JsonNode peft = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        assertThat(peft.get("peft_type").asText()).isEqualTo("LORA");
        assertThat(peft.get("task_type").asText()).isEqualTo("CAUSAL_LM");

        // The same run again (another directory) yields the same adapter: same id, not registered twice.
        JsonNode again = run("train", "lora", "--datanet", "legal", "--version", Long.toString(pinned), "--base",
                base.toString(), "--out", temp.resolve("adapter-again").toString(), "--steps", "4", "--batch-size", "2",
                "--sequence-length", "32", "--target-modules", "q_proj,v_proj,down_proj", "--rank", "4", "--lake", lake, "--json");
        assertThat(again.get("adapter_id").asText()).isEqualTo(summary.get("adapter_id").asText());
        assertThat(again.get("registered").asBoolean()).isFalse();

        JsonNode list = run("adapters", "list", "--lake", lake, "--json");
        assertThat(list.get("adapters")).hasSize(1);
        assertThat(list.get("adapters").get(0).get("datanet_version").asLong()).isEqualTo(pinned);

        Path merged = temp.resolve("merged");
        run("adapters", "merge", "--base", base.toString(), "--adapter", out.toString(), "--out", merged.toString(), "--json");
        int[] tokens = {256, 80, 101, 114, 109, 105, 115, 115, 105, 111, 110};
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel baseModel = LlamaModel.load(base, manager);
             LoraAdapter adapter = LoraAdapter.load(out, baseModel.config(), manager);
             LlamaModel mergedModel = LlamaModel.load(merged, manager)) {
            baseModel.useAdapter(adapter);
            float[][] unmerged = TinyModels.logits(baseModel, tokens);
            float[][] folded = TinyModels.logits(mergedModel, tokens);
            double[][] reference = new double[unmerged.length][];
            for (int t = 0; t < unmerged.length; t++) {
                reference[t] = new double[unmerged[t].length];
                for (int v = 0; v < unmerged[t].length; v++) {
                    reference[t][v] = unmerged[t][v];
                }
            }
            assertThat(TinyModels.relativeError(folded, reference)).isLessThan(1e-5);
        }

        JsonNode logits = run("model", "logits", "--model", base.toString(), "--adapter", out.toString(), "--tokens", "256,72,105",
                "--json");
        assertThat(logits.get("logits")).hasSize(3);
        assertThat(logits.get("logits").get(0)).hasSize(TinyModels.untiedGqa().vocabSize());
        JsonNode generated = run("model", "generate", "--model", base.toString(), "--adapter", out.toString(), "--prompt",
                "Permission", "--max-tokens", "5", "--seed", "3", "--json");
        assertThat(generated.get("tokens").size()).isBetween(0, 5);
    }

    @Test
    void trainsOnlyOnCanonicalContributionsWhenDedupHasRunForTheVersion() throws Exception {
        String lake = temp.resolve("lake").toString();
        Engine engine = KernelTable.engine(Map.of());
        List<Map<String, Object>> rows = contributions("legal", 0, 12);
        long version = KernelTable.writing(engine, lake + "/contributions", CONTRIBUTIONS, "datanet").append(rows);
        List<Map<String, Object>> corpus = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String id = (String) rows.get(i).get("contribution_id");
            // Every third contribution is a duplicate of the one before it.
            String canonical = i % 3 == 2 ? (String) rows.get(i - 1).get("contribution_id") : id;
            corpus.add(KernelRows.of(CORPUS, id, "legal", canonical, version));
        }
        KernelTable.writing(engine, lake + "/corpus", CORPUS).append(corpus);
        Path base = TinyModels.write(temp.resolve("base"), TinyModels.tied(), 22, TensorDtype.BF16);
        JsonNode summary = run("train", "lora", "--datanet", "legal", "--base", base.toString(), "--out",
                temp.resolve("adapter").toString(), "--steps", "2", "--batch-size", "2", "--sequence-length", "32",
                "--lake", lake, "--json");
        assertThat(summary.get("corpus_source").asText()).isEqualTo("corpus");
        assertThat(summary.get("examples").asInt()).isEqualTo(8);
        assertThat(Files.readString(temp.resolve("adapter").resolve("training_contributions.json")))
                .doesNotContain((String) rows.get(2).get("contribution_id"));

        // A later batch the corpus does not cover yet: every contribution of the new version is used.
        List<Map<String, Object>> later = contributions("legal", 12, 3);
        long newer = KernelTable.writing(engine, lake + "/contributions", CONTRIBUTIONS, "datanet").append(later);
        JsonNode uncovered = run("train", "lora", "--datanet", "legal", "--base", base.toString(), "--out",
                temp.resolve("adapter-uncovered").toString(), "--steps", "1", "--batch-size", "2", "--sequence-length", "32",
                "--lake", lake, "--json");
        assertThat(uncovered.get("corpus_source").asText()).isEqualTo("contributions");
        assertThat(uncovered.get("examples").asInt()).isEqualTo(15);

        // Dedup adds rows for the new contributions only, tagged with the newer version; older rows still count.
        List<Map<String, Object>> increment = new ArrayList<>();
        for (Map<String, Object> row : later) {
            String id = (String) row.get("contribution_id");
            increment.add(KernelRows.of(CORPUS, id, "legal", id, newer));
        }
        KernelTable.writing(engine, lake + "/corpus", CORPUS).append(increment);
        JsonNode covered = run("train", "lora", "--datanet", "legal", "--base", base.toString(), "--out",
                temp.resolve("adapter-covered").toString(), "--steps", "1", "--batch-size", "2", "--sequence-length", "32",
                "--lake", lake, "--json");
        assertThat(covered.get("corpus_source").asText()).isEqualTo("corpus");
        assertThat(covered.get("examples").asInt()).isEqualTo(11);
    }
}
