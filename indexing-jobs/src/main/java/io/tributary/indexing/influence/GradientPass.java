package io.tributary.indexing.influence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.Json;
import io.tributary.core.hash.Hashing;
import io.tributary.indexing.index.LakeFiles;
import io.tributary.model.ModelException;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.model.tokenizer.LossScope.Scored;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The gradient pass: per-example LoRA gradients at one adapter state, projected and written as Arrow files by
 * the Spark tasks that computed them (embarrassingly parallel; each task gets the model from its JVM's
 * {@link ModelCache}). {@code _manifest.json}, written last, is the commit point: a later run over the same
 * examples, state and projection reuses the files instead of recomputing them.
 */
public final class GradientPass {
    static final String MANIFEST = "_manifest.json";

    private final SparkSession spark;
    private final LakeFiles files;
    private final InfluenceSettings settings;

    public GradientPass(SparkSession spark, LakeFiles files, InfluenceSettings settings) {
        this.spark = spark;
        this.files = files;
        this.settings = settings;
    }

    /** What one task did. */
    record Part(String file, List<String> modules, int examples, long tokens, double seconds) implements Serializable {}

    /**
     * The gradients of {@code examples} under {@code directory}, computed unless a matching manifest is there; the loss
     * covers the tokens {@code scope} scores (the adapter's own scope for its contributions and for queries like them).
     */
    public GradientSet run(String directory, ModelSource source, AdapterState state, String role,
                           List<InfluenceExample> examples, ExampleGradients.Reduction reduction, LossScope scope) {
        if (examples.isEmpty()) {
            throw new InfluenceException("no " + role + " examples to compute gradients for");
        }
        String fingerprint = fingerprint(examples, source, state, reduction, scope);
        GradientSet existing = existing(directory, fingerprint);
        if (existing != null) {
            return existing;
        }
        delete(directory);
        long started = System.nanoTime();
        int tasks = (examples.size() + settings.examplesPerTask() - 1) / settings.examplesPerTask();
        InfluenceSettings taskSettings = settings;
        LakeFiles lakeFiles = files;
        List<Part> parts = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(examples, tasks)
                .mapPartitionsWithIndex((index, iterator) -> {
                    List<InfluenceExample> slice = new ArrayList<>();
                    iterator.forEachRemaining(slice::add);
                    return slice.isEmpty() ? List.<Part>of().iterator()
                            : List.of(computePart(lakeFiles, directory, index, slice, source, state, role, taskSettings, reduction,
                                    scope))
                            .iterator();
                }, false)
                .collect();
        List<Part> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparing(Part::file));
        GradientFiles.Layout layout = layout(sorted.get(0).modules(), state, role, settings);
        List<String> fileList = sorted.stream().map(Part::file).toList();
        long tokens = sorted.stream().mapToLong(Part::tokens).sum();
        double seconds = (System.nanoTime() - started) / 1e9;
        writeManifest(directory, fingerprint, layout, fileList, examples.size(), tokens, seconds);
        io.tributary.core.cli.Progress.step(String.format("influence: %d %s gradients at %s in %.1f s (%.1f examples/s, %d tasks)",
                examples.size(), role, state.name(), seconds, examples.size() / seconds, tasks));
        return new GradientSet(directory, layout, fileList, examples.size(), tokens, seconds, false);
    }

    static GradientFiles.Layout layout(List<String> modules, AdapterState state, String role, InfluenceSettings settings) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("tributary.adapter_state", state.name());
        metadata.put("tributary.role", role);
        metadata.put("tributary.projection_dim", Integer.toString(settings.projectionDim()));
        metadata.put("tributary.seed", Long.toString(settings.seed()));
        return new GradientFiles.Layout(modules, settings.projectionDim(), metadata);
    }

    private static Part computePart(LakeFiles files, String directory, int index, List<InfluenceExample> slice,
                                    ModelSource source, AdapterState state, String role, InfluenceSettings settings,
                                    ExampleGradients.Reduction reduction, LossScope scope) {
        long started = System.nanoTime();
        LoadedModel loaded = ModelCache.get(source, state, settings.projectionDim(), settings.seed(), settings.engineThreads());
        List<GradientProjection> projections = loaded.projections();
        int featureSize = GradientProjection.totalDim(projections);
        List<ProjectedGradient> out = new ArrayList<>(slice.size());
        long tokens = 0;
        for (InfluenceExample example : slice) {
            List<Scored> windows = windows(example, loaded, source, role, scope);
            List<Scored> used = ExampleWindows.evenly(windows, settings.maxWindows());
            ExampleGradients.Result result = ExampleGradients.compute(loaded, used, reduction);
            // A sampled summed loss stands for the whole contribution: scaled by all its tokens over the sampled ones.
            double scale = reduction == ExampleGradients.Reduction.SUM
                    ? ExampleWindows.targets(windows) / (double) result.tokens() : 1;
            float[] features = new float[featureSize];
            int offset = 0;
            for (GradientProjection projection : projections) {
                projection.project(result.gradients().get(projection.module()), features, offset);
                offset += projection.dim();
            }
            if (scale != 1) {
                for (int i = 0; i < features.length; i++) {
                    features[i] = (float) (features[i] * scale);
                }
            }
            int allTokens = ExampleWindows.targets(windows);
            out.add(new ProjectedGradient(example.id(), allTokens, (float) (result.loss() * scale), features));
            tokens += allTokens;
        }
        List<String> modules = projections.stream().map(GradientProjection::module).toList();
        String file = directory + String.format("/part-%05d.arrow", index);
        GradientFiles.write(files, file, layout(modules, state, role, settings), out);
        return new Part(file, modules, out.size(), tokens, (System.nanoTime() - started) / 1e9);
    }

    private static List<Scored> windows(InfluenceExample example, LoadedModel loaded, ModelSource source, String role,
                                        LossScope scope) {
        try {
            return ExampleWindows.of(example.text(), loaded.tokenizer(), source.sequenceLength(), scope);
        } catch (ModelException e) {
            throw new InfluenceException(role + " example " + example.id() + ": " + e.getMessage()
                    + "; the adapter was trained with the loss after it, so its gradient would not be the trained loss's");
        }
    }

    /**
     * Identifies what the files hold: the examples (id and text hash), the model and state, the loss reduction and
     * scope (the whole text keeps the fingerprint it had before scopes, so earlier gradient files stay reusable).
     */
    static String fingerprint(List<InfluenceExample> examples, ModelSource source, AdapterState state,
                              ExampleGradients.Reduction reduction, LossScope scope) {
        StringBuilder text = new StringBuilder(String.join("\u0000", source.baseSha256(), source.adapterSha256(),
                state.name(), reduction.name(), Integer.toString(source.sequenceLength())));
        if (!scope.wholeText()) {
            text.append("\u0000loss-after\u0000").append(scope.marker());
        }
        text.append('\n');
        for (InfluenceExample example : examples) {
            text.append(example.id()).append('\u0000').append(Hashing.sha256Hex(example.text())).append('\n');
        }
        return Hashing.sha256Hex(text.toString());
    }

    private GradientSet existing(String directory, String fingerprint) {
        String manifest = directory + "/" + MANIFEST;
        try {
            if (!files.exists(manifest)) {
                return null;
            }
            JsonNode root = Json.MAPPER.readTree(files.read(manifest));
            if (!fingerprint.equals(root.path("fingerprint").asText())
                    || root.path("projection_dim").asInt() != settings.projectionDim()
                    || root.path("seed").asLong() != settings.seed()) {
                return null;
            }
            List<String> modules = new ArrayList<>();
            root.path("modules").forEach(node -> modules.add(node.asText()));
            List<String> fileList = new ArrayList<>();
            root.path("files").forEach(node -> fileList.add(node.asText()));
            Map<String, String> metadata = new LinkedHashMap<>();
            root.path("metadata").fields().forEachRemaining(entry -> metadata.put(entry.getKey(), entry.getValue().asText()));
            return new GradientSet(directory, new GradientFiles.Layout(modules, settings.projectionDim(), metadata), fileList,
                    root.path("examples").asInt(), root.path("tokens").asLong(), root.path("seconds").asDouble(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
    }

    private void writeManifest(String directory, String fingerprint, GradientFiles.Layout layout, List<String> fileList,
                               int examples, long tokens, double seconds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("fingerprint", fingerprint);
        root.put("projection_dim", settings.projectionDim());
        root.put("seed", settings.seed());
        root.put("examples", examples);
        root.put("tokens", tokens);
        root.put("seconds", seconds);
        ArrayNode modules = root.putArray("modules");
        layout.modules().forEach(modules::add);
        ArrayNode list = root.putArray("files");
        fileList.forEach(list::add);
        ObjectNode metadata = root.putObject("metadata");
        layout.metadata().forEach(metadata::put);
        try {
            files.writeAtomically(directory + "/" + MANIFEST, out -> {
                out.write((Json.write(root) + "\n").getBytes(StandardCharsets.UTF_8));
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory + "/" + MANIFEST, e);
        }
    }

    private void delete(String directory) {
        try {
            FileSystem fileSystem = files.fileSystem(directory);
            fileSystem.delete(new Path(directory), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + directory, e);
        }
    }
}
