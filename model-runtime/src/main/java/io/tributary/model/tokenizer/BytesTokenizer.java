package io.tributary.model.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.Json;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Encoding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's byte tokenizer: token i (0..255) is the byte i of the UTF-8 text; 256, 257 and 258 are
 * the begin, end and padding specials of the model's vocabulary. It needs no vocabulary file, so tiny models
 * are self-contained. Text encodes exactly as core's {@code bytes} index tokenizer, whose name it shares.
 */
public final class BytesTokenizer implements TextTokenizer {
    public static final int BOS = 256;
    public static final int EOS = 257;
    public static final int PAD = 258;
    public static final int VOCAB_SIZE = 259;
    static final String[] SPECIALS = {"<s>", "</s>", "<pad>"};

    private static final ByteTokenizer BYTES = new ByteTokenizer();

    @Override
    public String name() {
        return BYTES.name();
    }

    /** The ids text encodes to (0..254: UTF-8 never holds 0xFF); the specials are outside the text's range. */
    @Override
    public int vocabularySize() {
        return BYTES.vocabularySize();
    }

    /** The same ids and offsets as core's {@code bytes} tokenizer, so a model's tokens and an index's tokens agree. */
    @Override
    public Encoding encode(String text) {
        return BYTES.encode(text);
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id >= 0 && id < 256) {
                bytes.write(id);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    /**
     * The same tokenizer as a Hugging Face {@code tokenizer.json} (byte-level BPE with no merges, token
     * id = byte value), so other tools can load a model directory made here.
     */
    public static String huggingFaceJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIALS.length; i++) {
            ObjectNode token = added.addObject();
            token.put("id", 256 + i);
            token.put("content", SPECIALS[i]);
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", false);
        pre.put("use_regex", false);
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", false);
        decoder.put("trim_offsets", false);
        decoder.put("use_regex", false);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        String[] symbols = byteSymbols();
        for (int b = 0; b < 256; b++) {
            vocab.put(symbols[b], b);
        }
        for (int i = 0; i < SPECIALS.length; i++) {
            vocab.put(SPECIALS[i], 256 + i);
        }
        model.putArray("merges");
        return Json.write(root);
    }

    /** GPT-2's reversible byte-to-printable-character table, which ByteLevel pre-tokenizers use. */
    static String[] byteSymbols() {
        List<Integer> printable = new ArrayList<>();
        for (int c = '!'; c <= '~'; c++) {
            printable.add(c);
        }
        for (int c = 0xA1; c <= 0xAC; c++) {
            printable.add(c);
        }
        for (int c = 0xAE; c <= 0xFF; c++) {
            printable.add(c);
        }
        String[] symbols = new String[256];
        int next = 0;
        for (int b = 0; b < 256; b++) {
            symbols[b] = printable.contains(b) ? Character.toString(b) : Character.toString(256 + next++);
        }
        return symbols;
    }
}
