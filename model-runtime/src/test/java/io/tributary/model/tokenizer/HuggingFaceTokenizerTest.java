package io.tributary.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;
import io.tributary.core.index.IndexedDocument;
import io.tributary.core.index.ShardWriter;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.index.TraceOptions;
import io.tributary.core.index.TraceResult;
import io.tributary.core.tokenize.Encoding;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceTokenizerTest {
    /** A WordLevel tokenizer.json written here, so the test needs no download. */
    static byte[] wordLevelJson(int extraIds) {
        StringBuilder vocabulary = new StringBuilder("\"[UNK]\": 0, \"the\": 1, \"café\": 2, \"software\": 3, \"is\": 4,"
                + " \"free\": 5, \"😀\": 6, \",\": 7");
        for (int i = 0; i < extraIds; i++) {
            vocabulary.append(", \"w").append(i).append("\": ").append(8 + i);
        }
        return ("""
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null,
                 "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "[UNK]"}}
                """.formatted(vocabulary)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void tokensMapBackToCharactersOfTheText() {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.fromJson(wordLevelJson(0), "test")) {
            String text = "the café 😀 software, is free";
            Encoding encoding = tokenizer.encode(text);
            assertThat(encoding.tokens()).containsExactly(1, 2, 6, 3, 7, 4, 5);
            for (int i = 0; i < encoding.size(); i++) {
                String piece = text.substring(encoding.starts()[i], encoding.ends()[i]);
                assertThat(piece).isIn("the", "café", "😀", "software", ",", "is", "free");
            }
            assertThat(text.substring(encoding.starts()[5], encoding.ends()[5])).isEqualTo("is");
            assertThat(tokenizer.vocabularySize()).isEqualTo(8);
            assertThat(tokenizer.tokenWidth()).isEqualTo(1);
            assertThat(tokenizer.name()).startsWith("huggingface:");
        }
    }

    @Test
    void largeVocabulariesTakeFourBytesAToken() {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.fromJson(wordLevelJson(70_000), "large")) {
            assertThat(tokenizer.vocabularySize()).isEqualTo(70_008);
            assertThat(tokenizer.tokenWidth()).isEqualTo(4);
            assertThat(tokenizer.encode("w69999 the").tokens()).containsExactly(70_007, 1);
        }
    }

    @Test
    void anIndexOfFourByteTokensTracesSpansInCharactersOfTheText(@TempDir Path directory) throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.fromJson(wordLevelJson(70_000), "large")) {
            String document = "w1 w2 the café software is free w3 w69999 w5";
            Path shard = directory.resolve("shard.trib");
            try (OutputStream out = Files.newOutputStream(shard)) {
                ShardWriter.write(List.of(new IndexedDocument(ContributionId.ofText(document),
                        Address.of("0x" + "ab".repeat(20)), tokenizer.encode(document).tokens())),
                        tokenizer.tokenWidth(), out);
            }
            try (ShardedIndex index = ShardedIndex.open(List.of(shard), tokenizer)) {
                String output = "😀 so: the  café software is free w3 w69999, w7";
                TraceResult result = index.trace(output, new TraceOptions(3, 10, 5));
                assertThat(result.spans()).hasSize(1);
                assertThat(result.spans().get(0).text()).isEqualTo("the  café software is free w3 w69999");
                assertThat(result.spans().get(0).tokens()).isEqualTo(7);
                assertThat(index.count("café software").count()).isEqualTo(1);
            }
        }
    }

    @Test
    void aFileThatIsNotATokenizerIsRejectedByName() {
        assertThatThrownBy(() -> HuggingFaceTokenizer.fromJson("{\"model\": {}}".getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessageContaining("x.json");
    }
}
