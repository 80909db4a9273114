package io.tributary.core.lake;

import io.delta.storage.HadoopFileSystemLogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Delta log store for the local file system whose commits are put-if-absent across processes.
 *
 * <p>Delta's optimistic concurrency rests on one promise of the log store: writing log file N fails when
 * another writer already wrote N. Delta's own local store keeps it only inside one JVM (a lock, then a
 * rename that replaces), so two commands committing the same version could silently drop one commit.
 * This store writes a temporary file and hard-links it to the log file name, which the operating system
 * refuses when the name exists: the loser gets {@link FileAlreadyExistsException}, and Delta re-reads the
 * log and checks for conflicts as it does on HDFS or S3. Spark sets it with {@link #SPARK_SETTING}, Delta
 * Kernel with {@link #KERNEL_SETTING}; other schemes keep Delta's stores (HDFS's rename is atomic).
 */
public final class PutIfAbsentLogStore extends HadoopFileSystemLogStore {
    /** Spark configuration key that selects the log store for {@code file:} paths. */
    public static final String SPARK_SETTING = "spark.delta.logStore.file.impl";
    /** Hadoop configuration key that Delta Kernel's default engine reads for {@code file:} paths. */
    public static final String KERNEL_SETTING = "io.delta.kernel.logStore.file.impl";

    public PutIfAbsentLogStore(Configuration hadoopConfiguration) {
        super(hadoopConfiguration);
    }

    @Override
    public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConfiguration)
            throws IOException {
        java.nio.file.Path target = localPath(path, hadoopConfiguration);
        java.nio.file.Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            throw new java.io.FileNotFoundException("no Delta log directory " + directory);
        }
        java.nio.file.Path temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (var out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
                while (actions.hasNext()) {
                    out.write(actions.next());
                    out.write('\n');
                }
            }
            if (Boolean.TRUE.equals(overwrite)) {
                Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } else {
                // A hard link is created only when the name is free: the atomic put-if-absent.
                Files.createLink(target, temporary);
            }
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(path.toString());
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public Boolean isPartialWriteVisible(Path path, Configuration hadoopConfiguration) {
        return false;
    }

    private static java.nio.file.Path localPath(Path path, Configuration hadoopConfiguration) throws IOException {
        FileSystem fileSystem = path.getFileSystem(hadoopConfiguration);
        Path qualified = fileSystem.makeQualified(path);
        if (!"file".equals(qualified.toUri().getScheme())) {
            throw new IOException(PutIfAbsentLogStore.class.getSimpleName() + " serves file: paths only, not " + qualified);
        }
        return java.nio.file.Path.of(qualified.toUri());
    }
}
