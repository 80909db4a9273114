package io.tributary.attribution.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.attribution.AttributionSettings;
import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;
import io.tributary.core.index.IndexedDocument;
import io.tributary.core.index.ShardWriter;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.money.FeeSplitter;
import io.tributary.core.money.FeeSplitter.Kind;
import io.tributary.core.money.FeeSplitter.Line;
import io.tributary.core.money.FeeSplitter.Prior;
import io.tributary.core.money.Rational;
import io.tributary.core.money.RewardPolicy;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Encoding;
import io.tributary.lake.kernel.KernelTable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream's spans carry text: a run of spaces or punctuation that a completion shares with the index earns no span
 * credit, and its tokens go to the priors (the demo's first walk paid a contributor for 36 spaces).
 */
class AttributorSpanTextTest {
    private static final Address LICENSOR = Address.of("0x" + "a1".repeat(20));
    private static final Address TRAINER = Address.of("0x" + "b2".repeat(20));
    private static final String TREASURY = "0x" + "ee".repeat(20);
    private static final String LICENCE = "UnRAR source may be used in any software to handle RAR archives"
            + " ".repeat(36) + "without limitations free of charge\n" + "*".repeat(40) + "\n";

    @TempDir
    Path directory;

    @Test
    void whitespaceAndPunctuationQuotesGoToThePriors() throws IOException {
        String completion = "the the the" + " ".repeat(36) + "T T T " + "*".repeat(40) + " the";
        try (ShardedIndex index = index()) {
            Encoding encoding = index.tokenizer().encode(completion);
            assertThat(index.count(" ".repeat(36)).count()).isEqualTo(1);
            assertThat(index.count("*".repeat(40)).count()).isEqualTo(1);

            List<FeeSplitter.Span> spans = attributor().spans(index, completion, encoding);
            FeeSplitter.Split split = FeeSplitter.split(request(encoding, spans));

            assertThat(spans).isEmpty();
            assertThat(split.coveredTokens()).isZero();
            assertThat(split.lines()).extracting(Line::kind).doesNotContain(Kind.SPAN).contains(Kind.PRIOR);
            assertThat(poolWei(split, Kind.PRIOR)).isEqualTo(split.pool());
            assertThat(split.total()).isEqualTo(BigInteger.valueOf(1_000_000));
        }
    }

    @Test
    void aQuoteOfWordsIsPaidAsASpan() throws IOException {
        // The control: the same index and rule pay a quote of words (with the spaces after it) to its contributor.
        String quoted = "used in any software to handle RAR archives" + " ".repeat(36);
        String completion = "the T " + quoted + "T T";
        try (ShardedIndex index = index()) {
            Encoding encoding = index.tokenizer().encode(completion);
            List<FeeSplitter.Span> spans = attributor().spans(index, completion, encoding);
            FeeSplitter.Split split = FeeSplitter.split(request(encoding, spans));

            assertThat(spans).hasSize(1);
            assertThat(completion.substring(spans.get(0).start(), spans.get(0).end())).isEqualTo(" " + quoted);
            assertThat(split.coveredTokens()).isEqualTo(quoted.length() + 1);
            assertThat(split.lines()).filteredOn(line -> line.kind() == Kind.SPAN)
                    .extracting(Line::account).containsOnly(LICENSOR.value());
            assertThat(poolWei(split, Kind.SPAN).add(poolWei(split, Kind.PRIOR))).isEqualTo(split.pool());
            assertThat(poolWei(split, Kind.SPAN)).isPositive();
        }
    }

    private ShardedIndex index() throws IOException {
        Path file = directory.resolve("legal.shard");
        try (OutputStream out = Files.newOutputStream(file)) {
            ShardWriter.write(List.of(new IndexedDocument(ContributionId.ofText(LICENCE), LICENSOR,
                    new ByteTokenizer().encode(LICENCE).tokens())), 1, out);
        }
        return ShardedIndex.open(List.of(file), new ByteTokenizer());
    }

    private Attributor attributor() {
        String lake = directory.resolve("lake").toString();
        AttributionSettings settings = new AttributionSettings(lake, Map.of(), TREASURY, 60_000, 0, 0, 1000,
                32, 1000, 1000, 1, "files", 1000, "", "inference-log", "tributary-attribution");
        return new Attributor(settings, new AttributionCatalog(KernelTable.engine(Map.of()), lake, 0));
    }

    private static FeeSplitter.Request request(Encoding encoding, List<FeeSplitter.Span> spans) {
        List<Prior> priors = List.of(new Prior(ContributionId.ofText("trained on").hex(), TRAINER.value(), Rational.of(1)));
        return new FeeSplitter.Request(BigInteger.valueOf(1_000_000), Optional.of(new RewardPolicy(1000, 1000, 8000)),
                Optional.empty(), TREASURY, encoding.size(), spans, priors);
    }

    private static BigInteger poolWei(FeeSplitter.Split split, Kind kind) {
        return split.lines().stream().filter(line -> line.kind() == kind).map(Line::wei)
                .reduce(BigInteger.ZERO, BigInteger::add);
    }
}
