package io.tributary.core.index;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * The small JSON file written next to a Datanet's shards ({@code manifest.json}) after each build: what
 * queries read to find the shards and the tokenizer without starting Spark. The {@code index_manifest}
 * Delta table holds the same rows for SQL.
 */
public record IndexManifest(
        @JsonProperty("datanet") String datanet,
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("version") long version,
        @JsonProperty("shards") List<Entry> shards) {
    public static final String FILE_NAME = "manifest.json";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public IndexManifest {
        shards = List.copyOf(shards);
    }

    /**
     * One shard: its number, file name (relative to the manifest), the Datanet version it was built at,
     * its size, the SHA-256 of its bytes, and the range of ingest orders of its contributions.
     */
    public record Entry(
            @JsonProperty("shard") int shard,
            @JsonProperty("file") String file,
            @JsonProperty("version") long version,
            @JsonProperty("tokens") long tokens,
            @JsonProperty("documents") long documents,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("first_ingest_order") long firstIngestOrder,
            @JsonProperty("last_ingest_order") long lastIngestOrder) {
        /**
         * A manifest is read from the lake, which others may write: a file must stay inside the index
         * directory, and the checksum (a cache file name) must be a SHA-256, or the entry is refused.
         */
        public Entry {
            if (file == null || !SAFE_RELATIVE_PATH.matcher(file).matches()
                    || java.util.Arrays.stream(file.split("/")).anyMatch(part -> part.equals(".") || part.equals(".."))) {
                throw new IllegalArgumentException("shard " + shard + " names the file '" + file
                        + "', which is not a relative path inside the index directory");
            }
            if (sha256 == null || !SHA256.matcher(sha256).matches()) {
                throw new IllegalArgumentException("shard " + shard + " has the checksum '" + sha256
                        + "', which is not 64 lowercase hex digits");
            }
        }
    }

    private static final java.util.regex.Pattern SAFE_RELATIVE_PATH =
            java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    public static IndexManifest empty(String datanet, String tokenizer) {
        return new IndexManifest(datanet, tokenizer, -1, List.of());
    }

    /** The last ingest order indexed so far, or -1 when nothing is. */
    public long lastIngestOrder() {
        return shards.stream().mapToLong(Entry::lastIngestOrder).max().orElse(-1);
    }

    public long tokens() {
        return shards.stream().mapToLong(Entry::tokens).sum();
    }

    public long bytes() {
        return shards.stream().mapToLong(Entry::bytes).sum();
    }

    public IndexManifest plus(long newVersion, List<Entry> added) {
        List<Entry> all = new ArrayList<>(shards);
        all.addAll(added);
        return new IndexManifest(datanet, tokenizer, newVersion, all);
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static IndexManifest fromJson(String json, String origin) {
        try {
            return MAPPER.readValue(json, IndexManifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read the index manifest " + origin + ": " + e.getOriginalMessage(), e);
        }
    }
}
