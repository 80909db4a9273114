package io.tributary.training.tokenizer;

import io.tributary.core.cli.UserError;
import io.tributary.training.model.LlamaConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text to token ids and back, with the special ids a model needs, as a model directory defines it. Core's
 * {@code Tokenizer} serves indexes (ids with character offsets); this one adds decoding and BOS/EOS.
 */
public interface TextTokenizer extends AutoCloseable {
    /** Token ids of {@code text}, without special tokens. */
    int[] encode(String text);

    /** The text of {@code ids}; special tokens are dropped and invalid UTF-8 becomes U+FFFD. */
    String decode(int[] ids);

    int bosId();

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
            throw new UserError("model directory " + directory + " has no tokenizer.json and does not use the bytes tokenizer");
        }
        return HuggingFaceTextTokenizer.load(file, config.bosTokenId(), config.eosTokenId());
    }
}
