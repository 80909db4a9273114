package io.tributary.model.tokenizer;

import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.model.ModelException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the tokenizer an index names: {@code bytes}, or a Hugging Face tokenizer.json whose bytes the
 * caller supplies (from the index directory). Loaded tokenizers are kept per JVM, as executors tokenize
 * many partitions with the same one.
 */
public final class TokenizerLoader {
    private static final Map<String, TextTokenizer> LOADED = new ConcurrentHashMap<>();

    private TokenizerLoader() {}

    /** A source of tokenizer.json bytes that may fail with an I/O error. */
    @FunctionalInterface
    public interface JsonSource {
        byte[] read() throws java.io.IOException;
    }

    public static TextTokenizer load(String name, JsonSource json) {
        if (ByteTokenizer.NAME.equals(name)) {
            return new BytesTokenizer();
        }
        if (!name.startsWith(HuggingFaceTokenizer.PREFIX)) {
            throw new ModelException("unknown tokenizer '" + name + "'");
        }
        return LOADED.computeIfAbsent(name, key -> {
            byte[] bytes;
            try {
                bytes = json.read();
            } catch (java.io.IOException e) {
                throw new ModelException("cannot read the tokenizer.json of " + name + ": " + e.getMessage(), e);
            }
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.fromJson(bytes, name);
            if (!tokenizer.name().equals(name)) {
                throw new ModelException("the stored tokenizer.json does not match " + name + " (it is "
                        + tokenizer.name() + ")");
            }
            return tokenizer;
        });
    }
}
