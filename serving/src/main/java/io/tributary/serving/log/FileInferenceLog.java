package io.tributary.serving.log;

import io.tributary.core.inference.InferenceLogFiles;
import io.tributary.core.inference.InferenceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default inference log: JSON Lines files under {@code <lake>/inference-log/}, named as core's
 * {@link InferenceLogFiles} says. One writer thread appends the lines of every waiting request, fsyncs once for all
 * of them (group commit) and only then releases them; a file is written under its hidden name and renamed visible
 * when it reaches the size or age limit, or on close. At start, files this server id left hidden by a crash are
 * completed (their acknowledged lines were fsync'd; a torn last line, never acknowledged, is cut off).
 */
public final class FileInferenceLog implements InferenceLog {
    private static final Logger LOG = LoggerFactory.getLogger(FileInferenceLog.class);
    private static final Pattern SEQUENCE = Pattern.compile("\\.?inferences-(.+)-(\\d{20})\\.jsonl(\\.inprogress)?");

    private final Path directory;
    private final String serverId;
    private final long rollBytes;
    private final long rollNanos;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;
    private long nextSequence;
    private FileChannel channel;
    private Path openFile;
    private long openSequence;
    private long openedAt;
    private long written;

    private record Pending(byte[] line, CompletableFuture<Void> done) {}

    private static final Pending STOP = new Pending(new byte[0], new CompletableFuture<>());

    /** Opens the log in {@code directory} (created when missing) for {@code serverId}; a local file system only. */
    public FileInferenceLog(Path directory, String serverId, long rollBytes, long rollMillis) {
        this.directory = directory;
        this.serverId = serverId;
        this.rollBytes = rollBytes;
        this.rollNanos = TimeUnit.MILLISECONDS.toNanos(rollMillis);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the inference log directory " + directory, e);
        }
        InferenceLogFiles.completeName(serverId, 0);  // validates the server id
        this.nextSequence = recover() + 1;
        this.writer = new Thread(this::run, "inference-log-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** The log directory of a lake given as a {@code file:} URI or a path. */
    public static Path directoryOf(String lakeRoot) {
        String directory = InferenceLogFiles.directory(lakeRoot);
        if (directory.startsWith("file:")) {
            return Path.of(java.net.URI.create(directory.replaceFirst("^file:/+", "file:///")));
        }
        if (directory.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            throw new IllegalArgumentException("the file sink of the inference log needs a local lake, not " + lakeRoot
                    + "; use tributary.serving.log.sink = \"kafka\" in a cluster");
        }
        return Path.of(directory);
    }

    @Override
    public void append(InferenceRecord record) {
        if (closing) {
            throw new LogWriteException("the inference log is closed", null);
        }
        Pending pending = new Pending((record.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8), new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.done().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LogWriteException("cannot write the inference log in " + directory + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new LogWriteException("the inference log in " + directory + " did not confirm a write within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogWriteException("interrupted while writing the inference log", e);
        }
    }

    @Override
    public String describe() {
        return "files in " + directory + " (server id " + serverId + ")";
    }

    @Override
    public void close() {
        closing = true;
        // Wakes the writer without interrupting it: an interrupt would close its FileChannel mid-write.
        queue.add(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                    batch.removeIf(pending -> pending == STOP);
                    write(batch);
                    batch.clear();
                }
                if (channel != null && (written >= rollBytes || System.nanoTime() - openedAt >= rollNanos)) {
                    roll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("cannot roll the inference log file {}: {}", openFile, e.getMessage());
            }
            if (closing && queue.isEmpty()) {
                break;
            }
        }
        queue.drainTo(batch);
        batch.removeIf(pending -> pending == STOP);
        write(batch);
        try {
            if (channel != null) {
                roll();
            }
        } catch (RuntimeException e) {
            LOG.error("cannot complete the inference log file {}: {}", openFile, e.getMessage());
        }
    }

    /** Appends the lines and fsyncs once; on failure the file is cut back to before them and every one of them fails. */
    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long before = -1;
        try {
            if (channel == null) {
                open();
            }
            before = channel.position();
            for (Pending pending : batch) {
                ByteBuffer buffer = ByteBuffer.wrap(pending.line());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            channel.force(false);
            written = channel.position();
            batch.forEach(pending -> pending.done().complete(null));
        } catch (IOException | RuntimeException e) {
            if (channel != null && before >= 0) {
                try {
                    channel.truncate(before);
                    channel.position(before);
                } catch (IOException ignored) {
                    // The torn tail is cut at recovery; these requests are failed either way.
                }
            }
            batch.forEach(pending -> pending.done().completeExceptionally(e));
        }
    }

    private void open() throws IOException {
        openSequence = nextSequence++;
        openFile = directory.resolve(InferenceLogFiles.inProgressName(serverId, openSequence));
        channel = FileChannel.open(openFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        openedAt = System.nanoTime();
        written = 0;
    }

    private void roll() {
        try {
            channel.force(true);
            channel.close();
            Files.move(openFile, directory.resolve(InferenceLogFiles.completeName(serverId, openSequence)), StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot complete inference log file " + openFile, e);
        } finally {
            channel = null;
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every file system lets a directory be opened; the rename is still atomic.
        }
    }

    /** Completes this server's hidden files left by a crash; returns the highest sequence this server id used. */
    private long recover() {
        long highest = 0;
        try (var files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                Matcher matcher = SEQUENCE.matcher(file.getFileName().toString());
                if (!matcher.matches() || !matcher.group(1).equals(serverId)) {
                    continue;
                }
                long sequence = Long.parseLong(matcher.group(2));
                highest = Math.max(highest, sequence);
                if (matcher.group(3) != null) {
                    cutTornTail(file);
                    Files.move(file, directory.resolve(InferenceLogFiles.completeName(serverId, sequence)), StandardCopyOption.ATOMIC_MOVE);
                    LOG.warn("completed inference log file {} left open by an earlier run", file.getFileName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover the inference log in " + directory, e);
        }
        return highest;
    }

    private static void cutTornTail(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long end = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                channel.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                channel.truncate(end);
                channel.force(true);
            }
        }
    }
}
