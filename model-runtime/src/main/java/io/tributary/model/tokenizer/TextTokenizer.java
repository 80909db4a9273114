package io.tributary.model.tokenizer;

import io.tributary.core.tokenize.Tokenizer;
import io.tributary.model.ModelException;
import io.tributary.model.llama.LlamaConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tokenizer a model can run: core's {@link Tokenizer} (ids with character offsets, as indexes need) plus
 * decoding and the special ids of generation. One implementation per kind of tokenizer serves the model
 * runtime, the index builds and the attribution trace, so their token ids always agree.
 */
public interface TextTokenizer extends Tokenizer, AutoCloseable {
    /** Token ids of {@code text}, without special tokens. */
    default int[] ids(String text) {
        return encode(text).tokens();
    }

    /** The text of {@code ids}; special tokens are dropped and invalid UTF-8 becomes U+FFFD. */
    String decode(int[] ids);

    /** Begin-of-sequence id, or -1 when the tokenizer was loaded for an index and does not know it. */
    int bosId();

    /** End-of-sequence id, or -1 when unknown. */
    int eosId();

    @Override
    default void close() {}

    /** The tokenizer of a model directory: the bytes tokenizer when config.json says so, else tokenizer.json. */
    static TextTokenizer forModel(Path directory, LlamaConfig config) {
        if (config.usesBytesTokenizer()) {
            return new BytesTokenizer();
        }
        Path file = directory.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelException("model directory " + directory + " has no tokenizer.json and does not use the bytes tokenizer");
        }
        return HuggingFaceTokenizer.load(file, config.bosTokenId(), config.eosTokenId());
    }
}
