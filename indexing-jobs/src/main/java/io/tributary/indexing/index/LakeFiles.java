package io.tributary.indexing.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Files of the lake outside Delta tables (index shards and manifests), through the Hadoop FileSystem API so
 * local disks and HDFS work alike. Serializable, so executors get the same settings as the driver.
 */
public final class LakeFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, String> hadoopSettings;

    public LakeFiles(Map<String, String> hadoopSettings) {
        this.hadoopSettings = new TreeMap<>(hadoopSettings);
    }

    public FileSystem fileSystem(String uri) throws IOException {
        Configuration configuration = new Configuration();
        hadoopSettings.forEach(configuration::set);
        return FileSystem.get(URI.create(uri), configuration);
    }

    public boolean exists(String uri) throws IOException {
        return fileSystem(uri).exists(new Path(uri));
    }

    public byte[] read(String uri) throws IOException {
        try (InputStream in = fileSystem(uri).open(new Path(uri))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** What writes a file's content. */
    @FunctionalInterface
    public interface Content<T> {
        T writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code uri} through a temporary file renamed into place, so readers never see half a file and
     * a retried task simply replaces what an earlier attempt left.
     */
    public <T> T writeAtomically(String uri, Content<T> content) throws IOException {
        FileSystem fileSystem = fileSystem(uri);
        if (fileSystem instanceof LocalFileSystem local) {
            // Without Hadoop's .crc side files: a file moved by the JDK would leave its checksum file behind,
            // and the target's old checksum would no longer match.
            fileSystem = local.getRawFileSystem();
        }
        Path target = new Path(uri);
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        fileSystem.mkdirs(target.getParent());
        T result;
        try (FSDataOutputStream out = fileSystem.create(temporary, true)) {
            result = content.writeTo(out);
        } catch (IOException | RuntimeException e) {
            fileSystem.delete(temporary, false);
            throw e;
        }
        replace(fileSystem, temporary, target);
        return result;
    }

    /**
     * Moves {@code temporary} over {@code target} in one step: readers see the old file or the new one, never
     * neither (deleting first would leave a moment, or after a crash a lake, without the file).
     */
    private void replace(FileSystem fileSystem, Path temporary, Path target) throws IOException {
        Path qualified = fileSystem.makeQualified(target);
        try {
            if ("file".equals(qualified.toUri().getScheme())) {
                // A checksum written by an earlier Hadoop writer would not match the new content.
                Files.deleteIfExists(java.nio.file.Path.of(qualified.toUri()).resolveSibling("." + target.getName() + ".crc"));
                Files.move(java.nio.file.Path.of(fileSystem.makeQualified(temporary).toUri()),
                        java.nio.file.Path.of(qualified.toUri()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                Configuration configuration = new Configuration();
                hadoopSettings.forEach(configuration::set);
                // HDFS renames with OVERWRITE atomically (FileSystem.rename refuses an existing target).
                FileContext.getFileContext(qualified.toUri(), configuration)
                        .rename(temporary, target, Options.Rename.OVERWRITE);
            }
        } catch (IOException | RuntimeException e) {
            fileSystem.delete(temporary, false);
            throw e;
        }
    }

    public void copyToLocal(String uri, java.nio.file.Path local) throws IOException {
        fileSystem(uri).copyToLocalFile(false, new Path(uri), new Path(local.toUri()), true);
    }
}
