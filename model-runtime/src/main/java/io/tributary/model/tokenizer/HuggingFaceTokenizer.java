package io.tributary.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.hash.Hashing;
import io.tributary.core.tokenize.Encoding;
import io.tributary.model.ModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's binding of the Rust tokenizers library (native code, no
 * network): ids with character offsets for indexes and traces, decoding and special ids for models.
 */
public final class HuggingFaceTokenizer implements TextTokenizer {
    public static final String PREFIX = "huggingface:";

    private final ai.djl.huggingface.tokenizers.HuggingFaceTokenizer delegate;
    private final String name;
    private final int vocabularySize;
    private final int bos;
    private final int eos;

    private HuggingFaceTokenizer(ai.djl.huggingface.tokenizers.HuggingFaceTokenizer delegate, String name,
                                 int vocabularySize, int bos, int eos) {
        this.delegate = delegate;
        this.name = name;
        this.vocabularySize = vocabularySize;
        this.bos = bos;
        this.eos = eos;
    }

    /** Loads the tokenizer from the bytes of a tokenizer.json for an index (special ids unknown); {@code origin} names them in errors. */
    public static HuggingFaceTokenizer fromJson(byte[] json, String origin) {
        return fromJson(json, origin, -1, -1);
    }

    /** A model directory's tokenizer.json, with the begin and end ids its config.json names. */
    public static HuggingFaceTokenizer load(Path file, int bos, int eos) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
        return fromJson(json, file.toString(), bos, eos);
    }

    private static HuggingFaceTokenizer fromJson(byte[] json, String origin, int bos, int eos) {
        int vocabularySize = vocabularySize(json, origin);
        try {
            // No special tokens and no truncation: the index holds exactly the text's tokens.
            var delegate = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(json), Map.of("addSpecialTokens", "false", "truncation", "false",
                            "padding", "false"));
            return new HuggingFaceTokenizer(delegate, PREFIX + Hashing.sha256Hex(json), vocabularySize, bos, eos);
        } catch (IOException | RuntimeException e) {
            throw new ModelException("cannot load the tokenizer " + origin + ": " + e.getMessage(), e);
        }
    }

    /** One more than the largest id of the model's vocabulary and added tokens. */
    private static int vocabularySize(byte[] json, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new ModelException(origin + " is not JSON: " + e.getMessage(), e);
        }
        long largest = -1;
        JsonNode vocabulary = root.path("model").path("vocab");
        if (vocabulary.isObject()) {
            for (Iterator<JsonNode> ids = vocabulary.elements(); ids.hasNext(); ) {
                largest = Math.max(largest, ids.next().asLong());
            }
        } else if (vocabulary.isArray()) {
            largest = vocabulary.size() - 1; // Unigram: a list of [piece, score], ids are positions
        }
        for (JsonNode added : root.path("added_tokens")) {
            largest = Math.max(largest, added.path("id").asLong());
        }
        if (largest < 0) {
            throw new ModelException(origin + " has no model.vocab: not a tokenizer.json");
        }
        if (largest >= 0xFFFFFFFEL) {
            throw new ModelException(origin + " has token ids up to " + largest + "; at most 2^32 - 2 fit an index");
        }
        return Math.toIntExact(Math.min(Integer.MAX_VALUE, largest + 1));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public Encoding encode(String text) {
        ai.djl.huggingface.tokenizers.Encoding encoding = delegate.encode(text, false, false);
        long[] ids = encoding.getIds();
        var spans = encoding.getCharTokenSpans();
        int[] codePointToChar = codePointToChar(text);
        int[] tokens = new int[ids.length];
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = Math.toIntExact(ids[i]);
            // The Rust library reports offsets in Unicode code points; Java strings count UTF-16 chars.
            starts[i] = codePointToChar[Math.min(spans[i].getStart(), codePointToChar.length - 1)];
            ends[i] = codePointToChar[Math.min(spans[i].getEnd(), codePointToChar.length - 1)];
        }
        return new Encoding(tokens, starts, ends);
    }

    /** Ids only, without the offsets {@link #encode} computes. */
    @Override
    public int[] ids(String text) {
        long[] ids = delegate.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return delegate.decode(wide, true);
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public int eosId() {
        return eos;
    }

    private static int[] codePointToChar(String text) {
        int[] map = new int[text.codePointCount(0, text.length()) + 1];
        int codePoint = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            map[codePoint++] = i;
        }
        map[codePoint] = text.length();
        return map;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
