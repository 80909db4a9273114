package io.tributary.attribution.lake;

import io.tributary.core.hash.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Local copies of files of a remote lake (hdfs://, s3a://, ...), so a task manager can memory-map index shards and
 * read manifests of a lake it does not mount. A copy is taken again when the remote file's length or modification
 * time changes (a manifest replaced by a new build); shards never change once written.
 */
public final class LocalCopies {
    private static final Path DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"), "tributary-lake-copies");

    private LocalCopies() {}

    /** The local copy of {@code uri}, current as of this call; a missing remote file gives a path that does not exist. */
    public static synchronized Path of(String uri) {
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(uri);
        try {
            FileSystem fs = remote.getFileSystem(new Configuration());
            String key = Hashing.sha256Hex(uri).substring(0, 32);
            Path local = DIRECTORY.resolve(key + "-" + remote.getName());
            if (!fs.exists(remote)) {
                Files.deleteIfExists(local);
                return local;
            }
            FileStatus status = fs.getFileStatus(remote);
            Path stamp = DIRECTORY.resolve(key + ".stamp");
            String expected = status.getLen() + " " + status.getModificationTime();
            if (Files.exists(local) && Files.exists(stamp) && Files.readString(stamp).equals(expected)) {
                return local;
            }
            Files.createDirectories(DIRECTORY);
            Path partial = Files.createTempFile(DIRECTORY, key, ".partial");
            try {
                fs.copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(partial.toUri()), true);
                Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            Files.writeString(stamp, expected);
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + uri + " from the lake to " + DIRECTORY, e);
        }
    }
}
