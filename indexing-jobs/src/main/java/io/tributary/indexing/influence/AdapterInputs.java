package io.tributary.indexing.influence;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import io.delta.tables.DeltaTable;
import io.tributary.core.cli.Json;
import io.tributary.core.inference.InferenceLogFiles;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.core.inference.InferenceRecords;
import io.tributary.core.lake.LakeTable;
import io.tributary.indexing.index.LakeFiles;
import io.tributary.model.tokenizer.LossScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What an influence run reads about one adapter, exactly as it was trained: its {@code adapters} row, the
 * contributions it trained on and held out (at the pinned Datanet version, with their contributors), its
 * training checkpoints with their learning rates, and, for log queries, its completions in the inference log.
 */
public final class AdapterInputs {
    private static final Pattern ADAPTER_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d{8})");
    static final String LEARNING_RATES_FILE = "learning_rates.json";

    private final SparkSession spark;
    private final String lakeRoot;
    private final LakeFiles files;

    public AdapterInputs(SparkSession spark, String lakeRoot, LakeFiles files) {
        this.spark = spark;
        this.lakeRoot = lakeRoot;
        this.files = files;
    }

    /** The adapter's registration and its examples. */
    public record Adapter(String adapterId, String datanet, long datanetVersion, ModelSource source,
                          List<InfluenceExample> train, List<InfluenceExample> eval) {}

    /** Log queries and the lines of the adapter's log that could not be used, with why. */
    public record LogQueries(List<InfluenceExample> queries, int rejectedLines, int otherAdapters) {}

    /** Checks that an adapter id is what the adapters table issues (it becomes a path under the lake). */
    public static String checkAdapterId(String adapterId) {
        if (adapterId == null || !ADAPTER_ID.matcher(adapterId).matches()) {
            throw new InfluenceException("adapter id '" + adapterId + "' is not 64 lowercase hex digits (see tributary adapters list)");
        }
        return adapterId;
    }

    public Adapter read(String adapterId) {
        checkAdapterId(adapterId);
        String adapters = LakeTable.ADAPTERS.path(lakeRoot);
        if (!DeltaTable.isDeltaTable(spark, adapters)) {
            throw new InfluenceException("no adapters table at " + adapters + ": train an adapter first (tributary train lora)");
        }
        List<Row> rows = spark.read().format("delta").load(adapters).where(col("adapter_id").equalTo(adapterId))
                .select("base_model", "base_model_sha256", "datanet", "datanet_version", "train_contribution_ids",
                        "eval_contribution_ids", "hyper_parameters", "artifact_path", "adapter_sha256")
                .limit(1).collectAsList();
        if (rows.isEmpty()) {
            throw new InfluenceException("adapter " + adapterId + " is not in the adapters table at " + adapters);
        }
        Row row = rows.get(0);
        for (int i = 0; i < row.length(); i++) {
            if (row.isNullAt(i) && i != 5) {
                throw new InfluenceException("adapter " + adapterId + " has no " + row.schema().fields()[i].name()
                        + " in the adapters table; it was not registered by tributary train lora");
            }
        }
        String datanet = row.getString(2);
        long version = row.getLong(3);
        List<String> trainIds = ids(row.getString(4));
        List<String> evalIds = row.isNullAt(5) ? List.of() : ids(row.getString(5));
        int sequenceLength = sequenceLength(adapterId, row.getString(6));
        ModelSource source = new ModelSource(row.getString(0), row.getString(1), row.getString(7), row.getString(8),
                sequenceLength, lossScope(adapterId, row.getString(6)));
        Map<String, InfluenceExample> texts = contributions(datanet, version, trainIds, evalIds);
        return new Adapter(adapterId, datanet, version, source, pick(texts, trainIds, adapterId),
                pick(texts, evalIds, adapterId));
    }

    private static List<String> ids(String joined) {
        if (joined == null || joined.isBlank()) {
            return List.of();
        }
        return Arrays.stream(joined.split(",")).map(String::trim).filter(id -> !id.isEmpty()).sorted().toList();
    }

    private static int sequenceLength(String adapterId, String hyperParameters) {
        try {
            JsonNode node = Json.MAPPER.readTree(hyperParameters == null ? "{}" : hyperParameters).path("sequence_length");
            if (!node.canConvertToInt() || node.asInt() < 1) {
                throw new InfluenceException("adapter " + adapterId + " records no sequence_length in its hyper_parameters");
            }
            return node.asInt();
        } catch (IOException e) {
            throw new InfluenceException("adapter " + adapterId + " has unreadable hyper_parameters: " + e.getMessage());
        }
    }

    /**
     * The loss scope training recorded ({@code loss_after} in hyper_parameters; "" or absent, as for adapters trained
     * before the option existed: the whole text).
     */
    static LossScope lossScope(String adapterId, String hyperParameters) {
        try {
            JsonNode node = Json.MAPPER.readTree(hyperParameters == null ? "{}" : hyperParameters)
                    .path(LossScope.HYPER_PARAMETER);
            if (node.isMissingNode() || node.isNull()) {
                return LossScope.WHOLE_TEXT;
            }
            if (!node.isTextual()) {
                throw new InfluenceException("adapter " + adapterId + " records a " + LossScope.HYPER_PARAMETER
                        + " that is not a string: " + node);
            }
            return LossScope.after(node.asText());
        } catch (IOException e) {
            throw new InfluenceException("adapter " + adapterId + " has unreadable hyper_parameters: " + e.getMessage());
        }
    }

    /** Texts and contributors of the adapter's contributions at the Datanet version it was trained on. */
    private Map<String, InfluenceExample> contributions(String datanet, long version, List<String> trainIds,
                                                        List<String> evalIds) {
        Set<String> wanted = new HashSet<>(trainIds);
        wanted.addAll(evalIds);
        List<Row> rows = spark.read().format("delta").option("versionAsOf", version)
                .load(LakeTable.CONTRIBUTIONS.path(lakeRoot))
                .where(col("datanet").equalTo(datanet))
                .select("contribution_id", "contributor", "text")
                .collectAsList();
        Map<String, InfluenceExample> out = new HashMap<>();
        for (Row row : rows) {
            if (wanted.contains(row.getString(0))) {
                out.put(row.getString(0), new InfluenceExample(row.getString(0), row.getString(1), row.getString(2)));
            }
        }
        return out;
    }

    private static List<InfluenceExample> pick(Map<String, InfluenceExample> texts, List<String> ids, String adapterId) {
        List<InfluenceExample> out = new ArrayList<>();
        for (String id : ids) {
            InfluenceExample example = texts.get(id);
            if (example == null) {
                throw new InfluenceException("contribution " + id + " that adapter " + adapterId
                        + " was trained on is missing from its pinned Datanet version");
            }
            out.add(example);
        }
        return out;
    }

    /**
     * The contributions of Datanet {@code datanet} (latest version) as queries, in id order: a clean validation set,
     * such as correct answers about the same facts. Contributions the adapter trained on are left out (a query must be
     * held out); none left is an error.
     */
    public List<InfluenceExample> datanetQueries(String datanet, Adapter adapter) {
        String table = LakeTable.CONTRIBUTIONS.path(lakeRoot);
        if (!DeltaTable.isDeltaTable(spark, table)) {
            throw new InfluenceException("no contributions table at " + table);
        }
        Set<String> trained = new HashSet<>();
        adapter.train().forEach(example -> trained.add(example.id()));
        List<InfluenceExample> out = new ArrayList<>();
        int overlapping = 0;
        for (Row row : spark.read().format("delta").load(table).where(col("datanet").equalTo(datanet))
                .select("contribution_id", "contributor", "text").orderBy("contribution_id").collectAsList()) {
            if (trained.contains(row.getString(0))) {
                overlapping++;
            } else {
                out.add(new InfluenceExample(row.getString(0), row.getString(1), row.getString(2)));
            }
        }
        if (out.isEmpty()) {
            throw new InfluenceException("Datanet " + datanet + " has no contribution to use as a query ("
                    + overlapping + " of its contributions are training contributions of adapter " + adapter.adapterId() + ")");
        }
        return out;
    }

    /**
     * The states TracIn sums over: every training checkpoint ({@code checkpoints/step-N}) and the final adapter,
     * each weighted by the sum of the learning rates of the steps since the previous state, as recorded by
     * training in learning_rates.json.
     */
    public static List<AdapterState> trainingStates(ModelSource source, String adapterId) {
        Path directory = Path.of(source.adapterPath());
        Path ratesFile = directory.resolve(LEARNING_RATES_FILE);
        if (!Files.isRegularFile(ratesFile)) {
            throw new InfluenceException("adapter " + adapterId + " has no " + LEARNING_RATES_FILE + " in " + directory
                    + " (trained before training recorded its learning rates); TracIn needs it: use --method trak or datainf");
        }
        double[] rates;
        try {
            JsonNode root = Json.MAPPER.readTree(ratesFile.toFile());
            rates = new double[root.path("learning_rates").size()];
            for (int i = 0; i < rates.length; i++) {
                rates[i] = root.path("learning_rates").get(i).asDouble();
            }
        } catch (IOException e) {
            throw new InfluenceException("cannot read " + ratesFile + ": " + e.getMessage());
        }
        List<AdapterState> states = new ArrayList<>();
        int previous = 0;
        for (Map.Entry<Integer, Path> checkpoint : checkpoints(directory).entrySet()) {
            int step = checkpoint.getKey();
            if (step >= rates.length) {
                continue;
            }
            states.add(new AdapterState(String.format("step-%08d", step), step, checkpoint.getValue().toString(),
                    sum(rates, previous, step)));
            previous = step;
        }
        states.add(new AdapterState(AdapterState.FINAL, rates.length, null, sum(rates, previous, rates.length)));
        return states;
    }

    private static java.util.TreeMap<Integer, Path> checkpoints(Path adapterDirectory) {
        java.util.TreeMap<Integer, Path> out = new java.util.TreeMap<>();
        Path root = adapterDirectory.resolve("checkpoints");
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> entries = Files.list(root)) {
            entries.forEach(entry -> {
                Matcher matcher = CHECKPOINT.matcher(entry.getFileName().toString());
                Path state = entry.resolve("state.safetensors");
                if (matcher.matches() && Files.isRegularFile(state)) {
                    out.put(Integer.parseInt(matcher.group(1)), state);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return out;
    }

    private static double sum(double[] values, int from, int to) {
        double total = 0;
        for (int i = from; i < to; i++) {
            total += values[i];
        }
        return total;
    }

    /**
     * The adapter's most recent completions in the file inference log ({@code <lake>/inference-log/}, complete files
     * only), newest first, at most {@code limit}; lines the validator rejects are counted, not used.
     */
    public LogQueries logQueries(String adapterId, int limit) {
        String directory = InferenceLogFiles.directory(lakeRoot);
        List<InferenceRecord> records = new ArrayList<>();
        int rejected = 0;
        int others = 0;
        try {
            org.apache.hadoop.fs.FileSystem fileSystem = files.fileSystem(directory);
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(directory);
            FileStatus[] statuses = fileSystem.exists(path) ? fileSystem.listStatus(path) : new FileStatus[0];
            for (FileStatus status : statuses) {
                if (!InferenceLogFiles.COMPLETE.matcher(status.getPath().getName()).matches()) {
                    continue;
                }
                String text = new String(files.read(status.getPath().toString()), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    InferenceRecords.Parsed parsed = InferenceRecords.parse(line);
                    if (parsed instanceof InferenceRecords.Accepted accepted) {
                        if (accepted.record().adapterId().equals(adapterId)) {
                            records.add(accepted.record());
                        } else {
                            others++;
                        }
                    } else {
                        rejected++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the inference log at " + directory, e);
        }
        records.sort(Comparator.comparing(InferenceRecord::servedAt).reversed().thenComparing(InferenceRecord::inferenceId));
        List<InfluenceExample> queries = records.stream().filter(record -> !record.completion().isEmpty()).limit(limit)
                .map(record -> new InfluenceExample(record.inferenceId(), "", record.completion()))
                .sorted(Comparator.comparing(InfluenceExample::id)).toList();
        return new LogQueries(queries, rejected, others);
    }
}
