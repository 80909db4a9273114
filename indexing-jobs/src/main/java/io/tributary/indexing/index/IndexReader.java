package io.tributary.indexing.index;

import io.tributary.core.index.IndexLocation;
import io.tributary.core.hash.Hashing;

import io.tributary.core.cli.UserError;
import io.tributary.core.hash.Hex;
import io.tributary.core.index.IndexManifest;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.tokenize.Tokenizer;
import io.tributary.model.tokenizer.TokenizerLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a Datanet's index for queries without Spark: reads {@code manifest.json}, then memory-maps the
 * shards in place on a local lake, or copies them once into a local cache (checksum verified) from a
 * remote one, as only local files can be mapped.
 */
public final class IndexReader {
    private IndexReader() {}

    public static ShardedIndex open(IndexLocation location, IndexSettings settings, LakeFiles files) {
        IndexManifest manifest = manifest(location, files);
        if (manifest.shards().isEmpty()) {
            throw new UserError("the index of " + location.datanet() + " has no shards yet: its Datanet had no"
                    + " contributions to index");
        }
        Tokenizer tokenizer = TokenizerLoader.load(manifest.tokenizer(), () -> read(location.tokenizerJson(), files));
        List<Path> shardFiles = new ArrayList<>();
        for (IndexManifest.Entry entry : manifest.shards()) {
            shardFiles.add(localCopy(location, entry, settings, files));
        }
        try {
            return ShardedIndex.open(shardFiles, tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the shards of " + location.directory(), e);
        }
    }

    public static IndexManifest manifest(IndexLocation location, LakeFiles files) {
        String uri = location.manifest();
        try {
            if (!exists(uri, files)) {
                throw new UserError("no index for Datanet '" + location.datanet() + "' (no " + uri
                        + "): build it with tributary index build --datanet " + location.datanet());
            }
            return IndexManifest.fromJson(new String(read(uri, files), StandardCharsets.UTF_8), uri);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + uri, e);
        }
    }

    private static Path localCopy(IndexLocation location, IndexManifest.Entry entry, IndexSettings settings,
                                  LakeFiles files) {
        String uri = location.file(entry.file());
        try {
            Path local;
            if (isLocal(uri)) {
                local = Path.of(URI.create(uri));
            } else {
                Path cache = settings.cacheDirectory().isBlank()
                        ? Path.of(System.getProperty("java.io.tmpdir"), "tributary-index-cache")
                        : Path.of(settings.cacheDirectory());
                local = cache.resolve(location.datanet().value()).resolve(entry.sha256() + ".trib");
                if (!Files.isRegularFile(local) || Files.size(local) != entry.bytes()) {
                    Files.createDirectories(local.getParent());
                    Path partial = local.resolveSibling(local.getFileName() + ".partial");
                    files.copyToLocal(uri, partial);
                    String sha256 = Hashing.sha256Hex(partial);
                    if (!sha256.equals(entry.sha256())) {
                        Files.deleteIfExists(partial);
                        throw new UserError(uri + " is corrupt: its SHA-256 is " + sha256 + ", the manifest says "
                                + entry.sha256());
                    }
                    Files.move(partial, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // Sizes are checked on every open; full checksums when copying (tributary index verify could add more).
            if (!Files.isRegularFile(local) || Files.size(local) != entry.bytes()) {
                throw new UserError("shard " + uri + " is missing or has the wrong size (manifest: " + entry.bytes()
                        + " bytes): rebuild the index");
            }
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open shard " + uri, e);
        }
    }

    private static boolean isLocal(String uri) {
        return uri.startsWith("file:");
    }

    private static boolean exists(String uri, LakeFiles files) throws IOException {
        return isLocal(uri) ? Files.exists(Path.of(URI.create(uri))) : files.exists(uri);
    }

    private static byte[] read(String uri, LakeFiles files) throws IOException {
        return isLocal(uri) ? Files.readAllBytes(Path.of(URI.create(uri))) : files.read(uri);
    }
}
