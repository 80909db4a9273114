package io.tributary.serving.adapters;

import io.tributary.model.lora.AdapterFingerprint;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.batch.AdapterMerge;
import io.tributary.model.batch.DeviceAdapter;
import io.tributary.serving.metrics.ServingMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tiered adapter cache: device (the engine's memory, the GPU when there is one) &lt;- host memory &lt;- disk.
 * Each tier is bounded in bytes and evicts its least recently used adapters; an adapter used by a running sequence
 * (or pinned through {@code /v1/load_lora_adapter}) is never evicted from the device. Loads run on loader threads,
 * never on the scheduler's or a request's thread: {@link #acquire} answers at once (resident or not) and starts a
 * load when it is not, and the scheduler prefetches the adapters of queued requests. Files are checked against the
 * registered {@code adapter_sha256} before they are used, so the log never cites a hash that did not run.
 * <p>
 * On a CPU-only machine the device and host tiers are both main memory (two copies, bounded separately); the disk
 * tier holds local copies of adapters whose artifacts are not on the local file system (adapters on local disk are
 * read in place and not counted).
 */
public final class AdapterCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterCache.class);
    public static final String DEVICE = "device";
    public static final String HOST = "host";
    public static final String DISK = "disk";
    /** The name of the threads that load adapters. */
    public static final String LOADER_THREAD_NAME = "adapter-loader";

    private final LlamaConfig config;
    private final NDManager deviceManager;
    private final NDManager hostManager;
    private final long deviceLimit;
    private final long hostLimit;
    private final long diskLimit;
    private final Path diskDirectory;
    private final Map<String, String> hadoopSettings;
    private final ServingMetrics metrics;
    private final ExecutorService loaders;
    private final Map<String, Entry> entries = new HashMap<>();
    private final List<Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long deviceBytes;
    private long hostBytes;
    private long diskBytes;
    private long clock;

    /** What the cache holds of one adapter. Guarded by the cache's lock. */
    private static final class Entry {
        final ServedAdapter adapter;
        DeviceAdapter device;
        long deviceSize;
        LoraAdapter host;
        long hostSize;
        Path disk;
        long diskSize;
        int runningPins;
        int explicitPins;
        long deviceUse;
        long hostUse;
        long diskUse;
        CompletableFuture<Void> loading;
        String lastError;

        Entry(ServedAdapter adapter) {
            this.adapter = adapter;
        }

        boolean pinned() {
            return runningPins > 0 || explicitPins > 0;
        }
    }

    /** Bytes and adapters resident in each tier. */
    public record Usage(long deviceBytes, int deviceAdapters, long hostBytes, int hostAdapters, long diskBytes, int diskAdapters) {}

    public AdapterCache(LlamaConfig config, NDManager deviceManager, long deviceLimit, long hostLimit, long diskLimit,
                        Path diskDirectory, int loaderThreads, Map<String, String> hadoopSettings, ServingMetrics metrics) {
        this.config = config;
        this.deviceManager = deviceManager;
        this.hostManager = NDManager.newBaseManager(ai.djl.Device.cpu());
        this.deviceLimit = deviceLimit;
        this.hostLimit = hostLimit;
        this.diskLimit = diskLimit;
        this.diskDirectory = diskDirectory;
        this.hadoopSettings = hadoopSettings;
        this.metrics = metrics;
        this.loaders = Executors.newFixedThreadPool(loaderThreads, runnable -> {
            Thread thread = new Thread(runnable, LOADER_THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Called with an adapter id whenever that adapter became device-resident or failed to load. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * The adapter on the device, pinned for one running sequence (release it with {@link #release}), or null when it
     * is not resident yet: then a load is started (if none is running) and the listeners hear when it is done.
     */
    public synchronized DeviceAdapter acquire(ServedAdapter adapter) {
        Entry entry = entries.computeIfAbsent(adapter.cacheKey(), id -> new Entry(adapter));
        if (entry.device != null) {
            entry.runningPins++;
            entry.deviceUse = ++clock;
            metrics.cacheHit(DEVICE);
            return entry.device;
        }
        metrics.cacheMiss(DEVICE);
        startLoad(entry);
        return null;
    }

    /** Ends one running sequence's pin ({@code key}: the adapter's {@link ServedAdapter#cacheKey()}). */
    public synchronized void release(String key) {
        Entry entry = entries.get(key);
        if (entry != null && entry.runningPins > 0) {
            entry.runningPins--;
            notifyAll();
        }
    }

    /** Starts loading the adapter to the device if it is not there yet; the future completes when it is. */
    public synchronized CompletableFuture<Void> prefetch(ServedAdapter adapter) {
        Entry entry = entries.computeIfAbsent(adapter.cacheKey(), id -> new Entry(adapter));
        if (entry.device != null) {
            return CompletableFuture.completedFuture(null);
        }
        return startLoad(entry);
    }

    /** Loads the adapter and keeps it on the device until {@link #unpin}: vLLM's load_lora_adapter. */
    public CompletableFuture<Void> pin(ServedAdapter adapter) {
        synchronized (this) {
            Entry entry = entries.computeIfAbsent(adapter.cacheKey(), id -> new Entry(adapter));
            entry.explicitPins++;
        }
        return prefetch(adapter);
    }

    /** Ends one explicit pin; the adapter stays resident until evicted. */
    public synchronized boolean unpin(String adapterId) {
        Entry entry = entries.get(adapterId);
        if (entry == null || entry.explicitPins == 0) {
            return false;
        }
        entry.explicitPins--;
        notifyAll();
        return true;
    }

    /** The last load error of an adapter, if its last load failed. */
    public synchronized String loadError(String adapterId) {
        Entry entry = entries.get(adapterId);
        return entry == null ? null : entry.lastError;
    }

    /** Forgets a failed load so the next request tries again. */
    public synchronized void clearError(String adapterId) {
        Entry entry = entries.get(adapterId);
        if (entry != null) {
            entry.lastError = null;
        }
    }

    public synchronized boolean isOnDevice(String adapterId) {
        Entry entry = entries.get(adapterId);
        return entry != null && entry.device != null;
    }

    public synchronized Usage usage() {
        int device = 0;
        int host = 0;
        int disk = 0;
        for (Entry entry : entries.values()) {
            device += entry.device != null ? 1 : 0;
            host += entry.host != null ? 1 : 0;
            disk += entry.disk != null && entry.diskSize > 0 ? 1 : 0;
        }
        return new Usage(deviceBytes, device, hostBytes, host, diskBytes, disk);
    }

    private CompletableFuture<Void> startLoad(Entry entry) {
        if (entry.loading != null) {
            return entry.loading;
        }
        if (entry.lastError != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(entry.lastError));
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        entry.loading = future;
        loaders.execute(() -> load(entry, future));
        return future;
    }

    private void load(Entry entry, CompletableFuture<Void> future) {
        long started = System.nanoTime();
        String source = HOST;
        try {
            if (entry.adapter.merged()) {
                loadMerge(entry, future, started);
                return;
            }
            LoraAdapter host;
            synchronized (this) {
                host = entry.host;
                if (host != null) {
                    entry.hostUse = ++clock;
                    metrics.cacheHit(HOST);
                }
            }
            if (host == null) {
                metrics.cacheMiss(HOST);
                source = DISK;
                host = loadHost(entry);
            }
            DeviceAdapter device = DeviceAdapter.of(host, deviceManager);
            synchronized (this) {
                makeRoomOnDevice(device.deviceBytes(), entry);
                entry.device = device;
                entry.deviceSize = device.deviceBytes();
                entry.deviceUse = ++clock;
                deviceBytes += entry.deviceSize;
                entry.loading = null;
                metrics.cacheLoad(DEVICE);
                publishUsage();
            }
            metrics.adapterLoaded(source, (System.nanoTime() - started) / 1e9);
            future.complete(null);
        } catch (RuntimeException | InterruptedException e) {
            String reason = "cannot load adapter " + entry.adapter.adapterId() + ": " + e.getMessage();
            LOG.warn(reason);
            synchronized (this) {
                entry.loading = null;
                entry.lastError = reason;
            }
            future.completeExceptionally(e);
        }
        listeners.forEach(listener -> listener.accept(entry.adapter.adapterId()));
    }

    /** A linear merge: its parts' host copies (loaded as any adapter's), concatenated into one device adapter. */
    private void loadMerge(Entry entry, CompletableFuture<Void> future, long started) throws InterruptedException {
        List<DeviceAdapter> parts = new ArrayList<>();
        List<AdapterMerge.Weighted> weighted = new ArrayList<>();
        DeviceAdapter merged;
        try {
            for (ServedAdapter.MergePart part : entry.adapter.mergedFrom()) {
                Entry partEntry;
                synchronized (this) {
                    partEntry = entries.computeIfAbsent(part.adapter().cacheKey(), id -> new Entry(part.adapter()));
                }
                LoraAdapter host;
                synchronized (this) {
                    host = partEntry.host;
                }
                if (host == null) {
                    host = loadHost(partEntry);
                }
                DeviceAdapter device = DeviceAdapter.of(host, deviceManager);
                parts.add(device);
                weighted.add(new AdapterMerge.Weighted(device, part.weight()));
            }
            merged = AdapterMerge.linear(weighted, deviceManager);
        } finally {
            parts.forEach(DeviceAdapter::close);
        }
        synchronized (this) {
            makeRoomOnDevice(merged.deviceBytes(), entry);
            entry.device = merged;
            entry.deviceSize = merged.deviceBytes();
            entry.deviceUse = ++clock;
            deviceBytes += entry.deviceSize;
            entry.loading = null;
            metrics.cacheLoad(DEVICE);
            publishUsage();
        }
        metrics.adapterLoaded("merge", (System.nanoTime() - started) / 1e9);
        future.complete(null);
        listeners.forEach(listener -> listener.accept(entry.adapter.cacheKey()));
    }

    private LoraAdapter loadHost(Entry entry) {
        Path directory = diskCopy(entry);
        String actual = AdapterFingerprint.sha256(directory);
        if (!actual.equals(entry.adapter.adapterSha256())) {
            throw new IllegalStateException("the files in " + directory + " hash to " + actual + ", but the adapter was registered as "
                    + entry.adapter.adapterSha256() + "; re-register the adapter or restore its files");
        }
        LoraAdapter host = LoraAdapter.load(directory, config, hostManager);
        long size = 0;
        for (LoraAdapter.LoraPair pair : host.pairs().values()) {
            size += (pair.a().size() + pair.b().size()) * Float.BYTES;
        }
        synchronized (this) {
            makeRoomOnHost(size);
            entry.host = host;
            entry.hostSize = size;
            entry.hostUse = ++clock;
            hostBytes += size;
            metrics.cacheLoad(HOST);
        }
        return host;
    }

    /** The adapter's files on local disk: in place when local, else a copy in the disk tier (fetched when missing). */
    private Path diskCopy(Entry entry) {
        Path local = entry.adapter.localDirectory();
        if (local != null) {
            if (!Files.isRegularFile(local.resolve(LoraAdapter.WEIGHTS_FILE))) {
                throw new IllegalStateException("adapter files missing at " + local);
            }
            metrics.cacheHit(DISK);
            return local;
        }
        synchronized (this) {
            if (entry.disk != null) {
                entry.diskUse = ++clock;
                metrics.cacheHit(DISK);
                return entry.disk;
            }
        }
        metrics.cacheMiss(DISK);
        Path target = diskDirectory.resolve(entry.adapter.adapterId());
        try {
            Configuration hadoop = new Configuration();
            hadoopSettings.forEach(hadoop::set);
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(entry.adapter.artifactPath());
            org.apache.hadoop.fs.FileSystem fileSystem = remote.getFileSystem(hadoop);
            Path partial = diskDirectory.resolve("." + entry.adapter.adapterId() + ".partial");
            deleteTree(partial);
            Files.createDirectories(partial);
            long size = 0;
            for (String name : List.of(LoraAdapter.CONFIG_FILE, LoraAdapter.WEIGHTS_FILE)) {
                fileSystem.copyToLocalFile(new org.apache.hadoop.fs.Path(remote, name),
                        new org.apache.hadoop.fs.Path(partial.resolve(name).toUri()));
                size += Files.size(partial.resolve(name));
            }
            synchronized (this) {
                makeRoomOnDisk(size);
                deleteTree(target);
                Files.move(partial, target);
                entry.disk = target;
                entry.diskSize = size;
                entry.diskUse = ++clock;
                diskBytes += size;
                metrics.cacheLoad(DISK);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy adapter " + entry.adapter.artifactPath() + " to " + target, e);
        }
    }

    /** Evicts least recently used unpinned device adapters until {@code bytes} fit; waits while every one is pinned. */
    private void makeRoomOnDevice(long bytes, Entry loading) throws InterruptedException {
        if (bytes > deviceLimit) {
            throw new IllegalStateException("adapter needs " + bytes + " bytes, more than the device tier's "
                    + deviceLimit + " (tributary.serving.cache.device-bytes)");
        }
        while (deviceBytes + bytes > deviceLimit) {
            Entry victim = entries.values().stream().filter(e -> e.device != null && !e.pinned() && e != loading)
                    .min(Comparator.comparingLong(e -> e.deviceUse)).orElse(null);
            if (victim == null) {
                wait(TimeUnit.MILLISECONDS.toMillis(50));
                continue;
            }
            victim.device.close();
            victim.device = null;
            deviceBytes -= victim.deviceSize;
            victim.deviceSize = 0;
            metrics.cacheEviction(DEVICE);
        }
    }

    private void makeRoomOnHost(long bytes) {
        while (hostBytes + bytes > hostLimit) {
            Entry victim = entries.values().stream().filter(e -> e.host != null && e.loading == null)
                    .min(Comparator.comparingLong(e -> e.hostUse)).orElse(null);
            if (victim == null) {
                return; // every host copy is being read by a load: allow the overshoot for now
            }
            victim.host.close();
            victim.host = null;
            hostBytes -= victim.hostSize;
            victim.hostSize = 0;
            metrics.cacheEviction(HOST);
        }
    }

    private void makeRoomOnDisk(long bytes) {
        while (diskBytes + bytes > diskLimit) {
            Entry victim = entries.values().stream().filter(e -> e.disk != null && e.loading == null)
                    .min(Comparator.comparingLong(e -> e.diskUse)).orElse(null);
            if (victim == null) {
                return;
            }
            deleteTree(victim.disk);
            victim.disk = null;
            diskBytes -= victim.diskSize;
            victim.diskSize = 0;
            metrics.cacheEviction(DISK);
        }
    }

    private void publishUsage() {
        Usage usage = usage();
        metrics.resident(DEVICE, usage.deviceBytes(), usage.deviceAdapters());
        metrics.resident(HOST, usage.hostBytes(), usage.hostAdapters());
        metrics.resident(DISK, usage.diskBytes(), usage.diskAdapters());
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path file : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    @Override
    public void close() {
        loaders.shutdownNow();
        synchronized (this) {
            for (Entry entry : new ArrayList<>(entries.values())) {
                if (entry.device != null) {
                    entry.device.close();
                }
                if (entry.host != null) {
                    entry.host.close();
                }
            }
            entries.clear();
        }
        hostManager.close();
    }

    static long bytes(NDArray array) {
        return array.size() * Float.BYTES;
    }
}
