package io.tributary.training.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.Json;
import io.tributary.core.cli.Progress;
import io.tributary.core.cli.UserError;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelWeights;
import io.tributary.model.llama.ScoredLoss;
import io.tributary.model.safetensors.SafetensorsFile;
import io.tributary.model.safetensors.SafetensorsWriter;
import io.tributary.model.safetensors.Tensor;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.model.tokenizer.LossScope.Scored;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Trains the given parameters of a model on a packed dataset with next-token cross-entropy, the mean over the
 * targets the dataset's loss scope scores (every target for the whole text). Every
 * random choice (batch order, dropout) is derived from the seed and the step number, so a run resumed
 * from a checkpoint continues exactly as an uninterrupted one would, and two CPU runs agree byte for byte.
 */
public final class Trainer {
    private static final String CHECKPOINTS = "checkpoints";

    private final LlamaModel model;
    private final Map<String, NDArray> parameters;
    private final TrainingOptions options;
    private final PackedDataset data;
    private final Map<String, NDArray> firstMoments = new TreeMap<>();
    private final Map<String, NDArray> secondMoments = new TreeMap<>();

    public Trainer(LlamaModel model, Map<String, NDArray> parameters, TrainingOptions options, PackedDataset data) {
        this.model = model;
        this.parameters = new TreeMap<>(parameters);
        this.options = options;
        this.data = data;
        NDManager manager = model.manager();
        this.parameters.forEach((name, array) -> {
            firstMoments.put(name, manager.zeros(array.getShape()));
            secondMoments.put(name, manager.zeros(array.getShape()));
        });
    }

    /**
     * What a run did. {@code tokens}: the tokens its windows fed the model (throughput); {@code scoredTokens}: the
     * targets its loss counted, fewer than {@code tokens} when the loss is on the answers only ({@link LossScope}).
     */
    public record Result(int steps, long tokens, long scoredTokens, double evalLossBefore, double evalLossAfter, double lastTrainLoss,
                         double seconds, int resumedFrom, int skippedSteps) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    /**
     * Runs {@code options.steps()} optimizer steps; with {@code workDirectory} it saves a checkpoint every
     * {@code checkpointEvery} steps there and, when {@code resume} is set, continues from the latest one.
     */
    public Result run(Path workDirectory, boolean resume) {
        long started = System.nanoTime();
        int startStep = 0;
        if (resume && workDirectory != null) {
            startStep = latestCheckpoint(workDirectory).map(this::restore).orElse(0);
        }
        double before = evalLoss();
        parameters.values().forEach(array -> array.setRequiresGradient(true));
        double lastLoss = Double.NaN;
        int skipped = 0;
        long tokens = 0;
        long scoredTokens = 0;
        int window = data.sequenceLength();
        try (Progress progress = Progress.start("training " + options.steps() + " steps", options.steps())) {
            progress.advance(startStep);
            for (int step = startStep; step < options.steps(); step++) {
                // Dropout masks come from the engine's generator; reseeding per step makes resumption exact.
                Engine.getInstance().setRandomSeed((int) (options.seed() * 1_000_003L + step));
                double lossSum = 0;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    for (int micro = 0; micro < options.gradientAccumulation(); micro++) {
                        try (NDScope scope = new NDScope()) {
                            Scored[] batch = batch(step, micro);
                            for (Scored windowOfBatch : batch) {
                                scoredTokens += windowOfBatch.targets();
                            }
                            NDArray loss = loss(batch);
                            collector.backward(loss.div(model.constant(options.gradientAccumulation())));
                            lossSum += loss.getFloat();
                        }
                        tokens += (long) options.batchSize() * window;
                    }
                }
                lastLoss = lossSum / options.gradientAccumulation();
                double norm = update(step);
                if ((step + 1) % Math.max(1, options.steps() / 10) == 0 || !Double.isFinite(lastLoss)) {
                    Progress.step(String.format("step %d/%d: train loss %.4f, gradient norm %.3f, learning rate %.2e",
                            step + 1, options.steps(), lastLoss, norm, options.learningRateAt(step)));
                }
                if (!Double.isFinite(norm)) {
                    skipped++;
                    Progress.step("step " + (step + 1) + ": non-finite gradient, update skipped");
                }
                if (!Double.isFinite(lastLoss) || skipped > Math.max(3, options.steps() / 20)) {
                    throw new UserError("training diverged at step " + (step + 1) + " (loss " + lastLoss + ", " + skipped
                            + " steps with non-finite gradients); lower --learning-rate");
                }
                progress.advance(1);
                if (workDirectory != null && options.checkpointEvery() > 0 && (step + 1) % options.checkpointEvery() == 0
                        && step + 1 < options.steps()) {
                    saveCheckpoint(workDirectory, step + 1);
                }
            }
        }
        parameters.values().forEach(array -> array.setRequiresGradient(false));
        double after = evalLoss();
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(options.steps(), tokens, scoredTokens, before, after, lastLoss, seconds, startStep, skipped);
    }

    /** Windows for micro-batch {@code micro} of step {@code step}: a fresh seeded permutation per epoch. */
    private Scored[] batch(int step, int micro) {
        List<Scored> windows = data.trainWindows();
        Scored[] batch = new Scored[options.batchSize()];
        long first = ((long) step * options.gradientAccumulation() + micro) * options.batchSize();
        int[] permutation = null;
        long permutationEpoch = -1;
        for (int i = 0; i < batch.length; i++) {
            long sample = first + i;
            long epoch = sample / windows.size();
            if (epoch != permutationEpoch) {
                permutation = permutation(windows.size(), options.seed() + 31 * epoch);
                permutationEpoch = epoch;
            }
            batch[i] = windows.get(permutation[(int) (sample % windows.size())]);
        }
        return batch;
    }

    private static int[] permutation(int size, long seed) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /**
     * Mean next-token cross-entropy of windows [B][T + 1] over their scored targets (all of them for the whole text, as
     * it always was computed); a batch without a scored target (a window of prompt tokens only) has loss 0 and moves nothing.
     */
    private NDArray loss(Scored[] windows) {
        return ScoredLoss.mean(model, java.util.Arrays.asList(windows));
    }

    /** Scored targets of {@code windows}. */
    private static int targets(List<Scored> windows) {
        return windows.stream().mapToInt(Scored::targets).sum();
    }

    /**
     * Mean loss over every held-out window, without dropout; NaN when nothing is held out. With a loss scope that
     * masks prompts it is the mean over every scored held-out target (each batch weighted by its scored targets).
     */
    public double evalLoss() {
        List<Scored> windows = data.evalWindows();
        if (windows.isEmpty() || targets(windows) == 0) {
            return Double.NaN;
        }
        boolean wholeText = data.scope().wholeText();
        double previousDropout = model.adapterDropout();
        double total = 0;
        model.setAdapterDropout(0);
        for (int start = 0; start < windows.size(); start += options.batchSize()) {
            List<Scored> slice = windows.subList(start, Math.min(windows.size(), start + options.batchSize()));
            try (NDScope scope = new NDScope()) {
                float loss = loss(slice.toArray(Scored[]::new)).getFloat();
                total += wholeText ? loss * slice.size() : (double) loss * targets(slice);
            }
        }
        model.setAdapterDropout(previousDropout);
        return total / (wholeText ? windows.size() : targets(windows));
    }

    /** AdamW with bias correction and decoupled weight decay, after clipping the global gradient norm; returns that norm. */
    private double update(int step) {
        double rate = options.learningRateAt(step);
        int t = step + 1;
        double correction1 = 1 - Math.pow(options.beta1(), t);
        double correction2 = 1 - Math.pow(options.beta2(), t);
        try (NDScope scope = new NDScope()) {
            double squared = 0;
            for (NDArray parameter : parameters.values()) {
                squared += parameter.getGradient().square().sum().getFloat();
            }
            double norm = Math.sqrt(squared);
            if (!Double.isFinite(norm)) {
                // A step whose gradients overflow is dropped, as a loss scaler would, rather than poisoning the weights.
                for (NDArray parameter : parameters.values()) {
                    NDArray gradient = parameter.getGradient();
                    gradient.set(parameter.zerosLike().toByteBuffer());
                }
                return norm;
            }
            float clip = options.maxGradientNorm() > 0 && norm > options.maxGradientNorm()
                    ? (float) (options.maxGradientNorm() / (norm + 1e-6)) : 1f;
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                NDArray parameter = entry.getValue();
                NDArray gradient = parameter.getGradient();
                NDArray clipped = gradient.mul(clip);
                NDArray m = firstMoments.get(entry.getKey());
                NDArray v = secondMoments.get(entry.getKey());
                m.muli((float) options.beta1()).addi(clipped.mul((float) (1 - options.beta1())));
                v.muli((float) options.beta2()).addi(clipped.square().mul((float) (1 - options.beta2())));
                if (options.weightDecay() > 0) {
                    parameter.subi(parameter.mul((float) (rate * options.weightDecay())));
                }
                NDArray denominator = v.div((float) correction2).sqrt().add((float) options.epsilon());
                parameter.subi(m.div((float) correction1).div(denominator).mul((float) rate));
                gradient.subi(gradient);
            }
            return norm;
        }
    }

    private void saveCheckpoint(Path workDirectory, int step) {
        Path directory = workDirectory.resolve(CHECKPOINTS).resolve(String.format("step-%08d", step));
        List<Tensor> tensors = new ArrayList<>();
        parameters.forEach((name, array) -> {
            tensors.add(ModelWeights.tensor("parameter/" + name, array, TensorDtype.F32));
            tensors.add(ModelWeights.tensor("adam_m/" + name, firstMoments.get(name), TensorDtype.F32));
            tensors.add(ModelWeights.tensor("adam_v/" + name, secondMoments.get(name), TensorDtype.F32));
        });
        try {
            Files.createDirectories(directory);
            SafetensorsWriter.write(directory.resolve("state.safetensors"), Map.of(), tensors);
            ObjectNode state = Json.MAPPER.createObjectNode();
            state.put("step", step);
            state.put("seed", options.seed());
            state.put("steps", options.steps());
            state.put(LossScope.HYPER_PARAMETER, data.scope().marker());
            Files.writeString(directory.resolve("state.json"), Json.write(state) + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write checkpoint " + directory + ": " + e.getMessage());
        }
        Progress.step("checkpoint saved: " + directory);
    }

    private static Optional<Path> latestCheckpoint(Path workDirectory) {
        Path root = workDirectory.resolve(CHECKPOINTS);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(path -> Files.isRegularFile(path.resolve("state.json"))).max(Path::compareTo);
        } catch (IOException e) {
            throw new UserError("cannot list checkpoints in " + root + ": " + e.getMessage());
        }
    }

    private int restore(Path directory) {
        JsonNode state;
        try {
            state = new ObjectMapper().readTree(directory.resolve("state.json").toFile());
        } catch (IOException e) {
            throw new UserError("cannot read checkpoint " + directory + ": " + e.getMessage());
        }
        if (state.path("seed").asLong() != options.seed() || state.path("steps").asInt() != options.steps()) {
            throw new UserError("checkpoint " + directory + " was made with seed " + state.path("seed").asLong() + " and "
                    + state.path("steps").asInt() + " steps; resume with the same options");
        }
        // Checkpoints written before loss scopes existed carry no marker: they were whole-text runs.
        String marker = state.path(LossScope.HYPER_PARAMETER).asText("");
        if (!marker.equals(data.scope().marker())) {
            throw new UserError("checkpoint " + directory + " was trained with the loss "
                    + (marker.isEmpty() ? "on the whole text" : "after the marker " + Json.write(marker)) + ", this run with the loss "
                    + (data.scope().marker().isEmpty() ? "on the whole text" : "after the marker " + Json.write(data.scope().marker()))
                    + "; resume with the same loss scope (--loss-after)");
        }
        try (SafetensorsFile file = SafetensorsFile.open(directory.resolve("state.safetensors"))) {
            parameters.forEach((name, array) -> {
                copyInto(array, file, "parameter/" + name);
                copyInto(firstMoments.get(name), file, "adam_m/" + name);
                copyInto(secondMoments.get(name), file, "adam_v/" + name);
            });
        }
        Progress.step("resumed from " + directory);
        return state.path("step").asInt();
    }

    private void copyInto(NDArray target, SafetensorsFile file, String name) {
        try (NDArray loaded = ModelWeights.toArray(file.float32(name), target.getShape().getShape(), model.manager())) {
            target.set(loaded.toByteBuffer());
        }
    }
}
