package io.tributary.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.model.ModelException;
import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.BytesTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Writes model directories in the Hugging Face layout, and fingerprints directories by content. */
public final class ModelDirectory {
    private ModelDirectory() {}

    /** Random weights as Hugging Face initializes Llama: normal(0, 0.02) matrices, norms at one. */
    public static Map<String, NDArray> randomWeights(LlamaConfig config, long seed, NDManager manager) {
        return randomWeights(config, seed, 0.02, 0, manager);
    }

    /**
     * Random weights: normal(0, matrixDeviation) matrices and norms of 1 + normal(0, normDeviation); tests use
     * larger values than an initialization so that logits differ clearly between tokens.
     */
    public static Map<String, NDArray> randomWeights(LlamaConfig config, long seed, double matrixDeviation,
                                                     double normDeviation, NDManager manager) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (WeightNames.NamedShape named : WeightNames.all(config)) {
            int count = Math.toIntExact(new Shape(named.shape()).size());
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                if (named.isNorm()) {
                    // No draw for constant norms, so a seed gives the weights it always gave.
                    values[i] = normDeviation == 0 ? 1f : (float) (1 + normDeviation * random.nextGaussian());
                } else {
                    values[i] = (float) (matrixDeviation * random.nextGaussian());
                }
            }
            weights.put(named.name(), manager.create(values, new Shape(named.shape())));
        }
        return weights;
    }

    /** config.json, model.safetensors and, for the bytes tokenizer, an equivalent tokenizer.json. */
    public static void write(Path directory, LlamaConfig config, Map<String, NDArray> weights, TensorDtype dtype) {
        try {
            Files.createDirectories(directory);
            config.write(directory);
            ModelWeights.save(directory, weights, dtype);
            if (config.usesBytesTokenizer()) {
                Files.writeString(directory.resolve("tokenizer.json"), BytesTokenizer.huggingFaceJson() + "\n");
                Files.writeString(directory.resolve("tokenizer_config.json"),
                        "{\n  \"bos_token\": \"<s>\",\n  \"eos_token\": \"</s>\",\n  \"pad_token\": \"<pad>\",\n"
                                + "  \"model_max_length\": " + config.maxPositionEmbeddings() + ",\n"
                                + "  \"tokenizer_class\": \"PreTrainedTokenizerFast\"\n}\n");
            }
        } catch (IOException e) {
            throw new ModelException("cannot write model directory " + directory + ": " + e.getMessage());
        }
    }

    /** Copies the tokenizer files of {@code source} into {@code target} (for derived models). */
    public static void copyTokenizer(Path source, Path target) {
        for (String name : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                "tokenizer.model", "generation_config.json")) {
            Path file = source.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    Files.copy(file, target.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new ModelException("cannot copy " + file + " to " + target + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * sha256 over the directory's regular files in name order, each as its name, a zero byte and its
     * sha256: a stable identity of a model or adapter whatever the file system's listing order.
     */
    public static String fingerprint(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : sorted) {
                digest.update(file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Hex.decode(fileSha256(file)));
            }
            return Hex.encode(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ModelException("cannot fingerprint " + directory + ": " + e.getMessage());
        }
    }

    public static String fileSha256(Path file) {
        try {
            return Hashing.sha256Hex(file);
        } catch (IOException e) {
            throw new ModelException("cannot hash " + file + ": " + e.getMessage());
        }
    }

}
