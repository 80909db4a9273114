package io.tributary.indexing;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.HelpOption;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.id.DatanetId;
import io.tributary.core.id.InvalidIdException;
import io.tributary.core.index.DocumentRef;
import io.tributary.core.index.IndexManifest;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.index.TraceOptions;
import io.tributary.core.index.TraceResult;
import io.tributary.core.index.TracedSpan;
import io.tributary.indexing.index.IndexBuilder;
import io.tributary.lake.spark.SparkSessions;
import io.tributary.core.index.IndexLocation;
import io.tributary.indexing.index.IndexReader;
import io.tributary.indexing.index.IndexSettings;
import io.tributary.indexing.index.LakeFiles;
import io.tributary.indexing.index.TextInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary index}: build a Datanet's suffix-array index, and count or trace text against it. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Build a Datanet's suffix-array index; count and trace text against it.",
        subcommands = {IndexCommand.Build.class, IndexCommand.Count.class, IndexCommand.Trace.class})
public final class IndexCommand {
    static DatanetId datanet(String value) {
        try {
            return DatanetId.of(value);
        } catch (InvalidIdException e) {
            throw new UserError("--datanet: " + e.getMessage(), e);
        }
    }

    static LakeFiles lakeFiles(TributaryConfig config) {
        return new LakeFiles(config.map("tributary.hadoop.conf"));
    }

    @Command(name = "build",
            description = "Index the canonical contributions of a Datanet version added since the last build "
                    + "(new shards; old shards are kept).")
    static final class Build implements Runnable {
        @Mixin
        HelpOption help;

        @Mixin
        GlobalOptions global;

        @Option(names = "--datanet", required = true, paramLabel = "ID", description = "The Datanet to index.")
        String datanet;

        @Option(names = "--version", paramLabel = "V",
                description = "Datanet version (contributions table version); default: the latest.")
        Long version;

        @Option(names = "--tokenizer", paramLabel = "bytes|PATH",
                description = "bytes, or a Hugging Face tokenizer.json; default: tributary.index.tokenizer.")
        String tokenizer;

        @Override
        public void run() {
            DatanetId id = datanet(datanet);
            TributaryConfig config = global.config();
            IndexSettings settings = IndexSettings.from(config);
            SparkSession spark = SparkSessions.start(config, "index build " + id);
            IndexBuilder.Summary summary;
            try {
                summary = new IndexBuilder(spark, config.lakeRoot(), settings, lakeFiles(config))
                        .build(id, version == null ? OptionalLong.empty() : OptionalLong.of(version),
                                Optional.ofNullable(tokenizer));
            } finally {
                spark.stop();
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("datanet", summary.datanet());
            json.put("version", summary.version());
            json.put("tokenizer", summary.tokenizer());
            json.put("source", summary.source());
            json.put("contributions_added", summary.contributions());
            json.put("shards_added", summary.shardsAdded());
            json.put("shards", summary.shards());
            json.put("tokens", summary.tokens());
            json.put("bytes", summary.bytes());
            json.put("bytes_per_token", summary.bytesPerToken());
            json.put("seconds", summary.seconds());
            List<Map<String, Object>> added = new ArrayList<>();
            for (IndexManifest.Entry entry : summary.added()) {
                Map<String, Object> shard = new LinkedHashMap<>();
                shard.put("shard", entry.shard());
                shard.put("file", entry.file());
                shard.put("tokens", entry.tokens());
                shard.put("documents", entry.documents());
                shard.put("bytes", entry.bytes());
                shard.put("sha256", entry.sha256());
                shard.put("first_ingest_order", entry.firstIngestOrder());
                shard.put("last_ingest_order", entry.lastIngestOrder());
                added.add(shard);
            }
            json.put("added", added);
            CommandOutput.of(global).print(json, () -> String.format(
                    "index of %s at version %d (tokenizer %s; source: %s): %d contribution(s) added in %d new shard(s); "
                            + "now %d shard(s), %,d tokens, %,d bytes (%.2f bytes/token); %.1f s",
                    summary.datanet(), summary.version(), summary.tokenizer(), summary.source(),
                    summary.contributions(), summary.shardsAdded(), summary.shards(), summary.tokens(),
                    summary.bytes(), summary.bytesPerToken(), summary.seconds()));
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true,
            description = "Exact occurrences of a text's token sequence in a Datanet's index (overlapping ones "
                    + "count; none crosses a document boundary).")
    static final class Count implements Runnable {
        @Mixin
        GlobalOptions global;

        @Option(names = "--datanet", required = true, paramLabel = "ID", description = "The Datanet whose index to search.")
        String datanet;

        @Mixin
        TextInput text;

        @Override
        public void run() {
            TributaryConfig config = global.config();
            String query = text.read();
            IndexLocation location = new IndexLocation(config.lakeRoot(), datanet(datanet));
            try (ShardedIndex index = IndexReader.open(location, IndexSettings.from(config), lakeFiles(config))) {
                ShardedIndex.Count count = index.count(query);
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("count", count.count());
                json.put("tokens", count.tokens());
                CommandOutput.of(global).print(json, () -> count.count() + " occurrence(s) of " + count.tokens()
                        + " token(s)");
            }
        }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true,
            description = "The maximal spans of a text found verbatim in a Datanet's index, ranked rarest first, "
                    + "with their documents and each contributor's share of the traced characters.")
    static final class Trace implements Runnable {
        @Mixin
        GlobalOptions global;

        @Option(names = "--datanet", required = true, paramLabel = "ID", description = "The Datanet whose index to search.")
        String datanet;

        @Mixin
        TextInput text;

        @Option(names = "--min-tokens", paramLabel = "N",
                description = "Fewest tokens of text (covering a letter or digit) a reported span holds; default: tributary.index.min-tokens.")
        Integer minTokens;

        @Option(names = "--max-count", paramLabel = "N",
                description = "Spans occurring more often are left out; default: tributary.index.max-count.")
        Long maxCount;

        @Option(names = "--documents", paramLabel = "N",
                description = "Documents listed per span; default: tributary.index.document-limit.")
        Integer documents;

        @Override
        public void run() {
            TributaryConfig config = global.config();
            IndexSettings settings = IndexSettings.from(config);
            TraceOptions options;
            try {
                options = new TraceOptions(minTokens == null ? settings.minTokens() : minTokens,
                        maxCount == null ? settings.maxCount() : maxCount,
                        documents == null ? settings.documentLimit() : documents);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
            String query = text.read();
            IndexLocation location = new IndexLocation(config.lakeRoot(), datanet(datanet));
            try (ShardedIndex index = IndexReader.open(location, settings, lakeFiles(config))) {
                TraceResult result = index.trace(query, options);
                CommandOutput.of(global).print(json(result), () -> human(result));
            }
        }
    }

    static Map<String, Object> json(TraceResult result) {
        List<Map<String, Object>> spans = new ArrayList<>();
        for (TracedSpan span : result.spans()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("start", span.start());
            item.put("end", span.end());
            item.put("text", span.text());
            item.put("tokens", span.tokens());
            item.put("count", span.count());
            item.put("unigram_log_probability", span.logUnigramProbability());
            List<Map<String, String>> documents = new ArrayList<>();
            for (DocumentRef document : span.documents()) {
                documents.add(Map.of("contribution_id", document.contributionId().hex(),
                        "contributor", document.contributor().value()));
            }
            item.put("documents", documents);
            item.put("contributors", span.contributors().stream().map(Object::toString).toList());
            spans.add(item);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tokens", result.textTokens());
        json.put("spans", spans);
        json.put("contributors", result.contributors());
        return json;
    }

    static String human(TraceResult result) {
        StringBuilder out = new StringBuilder();
        out.append(result.spans().size()).append(" span(s) found verbatim (text of ").append(result.textTokens())
                .append(" tokens), rarest first:\n");
        for (TracedSpan span : result.spans()) {
            out.append(String.format("  [%d, %d) %d tokens, %d occurrence(s): \"%s\"%n", span.start(), span.end(),
                    span.tokens(), span.count(), abbreviate(span.text())));
            for (DocumentRef document : span.documents()) {
                out.append("      ").append(document.contributor()).append("  ")
                        .append(document.contributionId().hex(), 0, 16).append("...\n");
            }
        }
        if (!result.contributors().isEmpty()) {
            out.append("contributor shares of the traced characters:\n");
            result.contributors().entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format("  %s  %6.2f%%%n", e.getKey(), 100 * e.getValue())));
        }
        return out.toString().stripTrailing();
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 90 ? flat : flat.substring(0, 60) + " ... " + flat.substring(flat.length() - 25);
    }
}
