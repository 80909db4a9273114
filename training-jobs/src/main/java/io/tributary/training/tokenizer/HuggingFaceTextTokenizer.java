package io.tributary.training.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.tributary.core.cli.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A model directory's {@code tokenizer.json}, run by DJL's binding of Hugging Face tokenizers (no network). */
public final class HuggingFaceTextTokenizer implements TextTokenizer {
    private final HuggingFaceTokenizer tokenizer;
    private final int bos;
    private final int eos;

    private HuggingFaceTextTokenizer(HuggingFaceTokenizer tokenizer, int bos, int eos) {
        this.tokenizer = tokenizer;
        this.bos = bos;
        this.eos = eos;
    }

    public static HuggingFaceTextTokenizer load(Path file, int bos, int eos) {
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new HuggingFaceTextTokenizer(tokenizer, bos, eos);
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
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
        return tokenizer.decode(wide, true);
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
