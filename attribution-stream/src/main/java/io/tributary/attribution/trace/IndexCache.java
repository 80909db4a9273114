package io.tributary.attribution.trace;

import io.tributary.attribution.lake.LocalCopies;
import io.tributary.core.cli.UserError;
import io.tributary.core.id.DatanetId;
import io.tributary.core.index.IndexLocation;
import io.tributary.core.index.IndexManifest;
import io.tributary.core.index.Shard;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.tokenize.ByteTokenizer;
import io.tributary.core.tokenize.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Datanets' suffix-array indexes, memory-mapped once per JVM (one task manager) and shared by every task in it:
 * shards stay mapped for the life of the process. A Datanet version V is traced against the shards built at a
 * version no later than V, so contributions that arrived after V earn nothing from an adapter pinned to V.
 * Indexes live where `tributary index build` writes them ({@link IndexLocation}); only local lakes and the byte
 * tokenizer are read here (a Hugging Face tokenizer needs the model runtime, which this module does not carry).
 */
public final class IndexCache {
    private static final Map<Path, Shard> SHARDS = new ConcurrentHashMap<>();
    private static final Map<String, Optional<ShardedIndex>> VIEWS = new ConcurrentHashMap<>();
    private static final Map<String, Stamp> STAMPS = new ConcurrentHashMap<>();

    private IndexCache() {}

    /** The index of {@code datanet} as of {@code version}, or empty when the Datanet has no index (yet). */
    public static Optional<ShardedIndex> at(String lakeRoot, String datanet, long version) {
        return at(lakeRoot, datanet, version, 0);
    }

    /**
     * As {@link #at(String, String, long)}, looking at the manifest's modification time (a rebuilt index) at most
     * every {@code refreshMs}: per record, that look is a stat of the lake (a remote call on hdfs://) and a URI parse.
     */
    public static Optional<ShardedIndex> at(String lakeRoot, String datanet, long version, long refreshMs) {
        String manifest = lakeRoot + "|" + datanet;
        long now = System.currentTimeMillis();
        Stamp stamp = STAMPS.get(manifest);
        if (stamp == null || now - stamp.checkedAt() >= refreshMs) {
            stamp = new Stamp(now, manifestStamp(lakeRoot, datanet));
            STAMPS.put(manifest, stamp);
        }
        String key = manifest + "|" + version + "|" + stamp.modified();
        return VIEWS.computeIfAbsent(key, k -> open(lakeRoot, datanet, version));
    }

    /** A manifest's modification time (-1: none) and when it was looked at. */
    private record Stamp(long checkedAt, long modified) {}

    private static long manifestStamp(String lakeRoot, String datanet) {
        try {
            Path manifest = local(new IndexLocation(lakeRoot, DatanetId.of(datanet)).manifest());
            return Files.exists(manifest) ? Files.getLastModifiedTime(manifest).toMillis() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static Optional<ShardedIndex> open(String lakeRoot, String datanet, long version) {
        IndexLocation location = new IndexLocation(lakeRoot, DatanetId.of(datanet));
        Path manifestFile = local(location.manifest());
        if (!Files.exists(manifestFile)) {
            return Optional.empty();
        }
        try {
            IndexManifest manifest = IndexManifest.fromJson(Files.readString(manifestFile, StandardCharsets.UTF_8),
                    manifestFile.toString());
            if (!ByteTokenizer.NAME.equals(manifest.tokenizer())) {
                throw new UserError("the index of " + datanet + " uses tokenizer '" + manifest.tokenizer()
                        + "'; the attribution stream traces byte-token indexes only");
            }
            Tokenizer tokenizer = new ByteTokenizer();
            List<Shard> shards = new ArrayList<>();
            for (IndexManifest.Entry entry : manifest.shards()) {
                if (entry.version() <= version) {
                    Path file = local(location.file(entry.file()));
                    shards.add(SHARDS.computeIfAbsent(file, IndexCache::mapShard));
                }
            }
            return shards.isEmpty() ? Optional.empty() : Optional.of(new ShardedIndex(shards, tokenizer));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifestFile, e);
        }
    }

    private static Shard mapShard(Path file) {
        try {
            return Shard.open(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map index shard " + file, e);
        }
    }

    private static Path local(String uri) {
        if (uri.startsWith("file:")) {
            return Path.of(URI.create(uri.startsWith("file://") ? uri : "file://" + uri.substring("file:".length())));
        }
        if (uri.startsWith("/")) {
            return Path.of(uri);
        }
        // A remote lake (hdfs://, ...): map a local copy, refreshed when the remote file changes.
        return LocalCopies.of(uri);
    }
}
