package io.tributary.serving;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.net.httpserver.HttpServer;
import io.delta.kernel.engine.Engine;
import io.tributary.core.error.InputError;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.tokenizer.TextTokenizer;
import io.tributary.serving.adapters.AdapterCache;
import io.tributary.serving.adapters.AdapterCatalog;
import io.tributary.serving.engine.BatchScheduler;
import io.tributary.serving.http.ApiHandlers;
import io.tributary.model.batch.BatchedForward;
import io.tributary.serving.keys.ApiKeyStore;
import io.tributary.serving.log.FileInferenceLog;
import io.tributary.serving.log.InferenceIds;
import io.tributary.serving.log.InferenceLog;
import io.tributary.serving.log.KafkaInferenceLog;
import io.tributary.serving.metrics.ServingMetrics;
import io.tributary.serving.price.PriceBook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server: the base model on the engine's device, the adapter catalog, cache and scheduler, keys, prices,
 * the inference log, and the HTTP API on its socket. {@link #close()} stops taking requests (503), lets running ones
 * finish for {@code drain-seconds}, then completes the log's open file and frees the engine.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);

    private final ServingSettings settings;
    private final NDManager manager;
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final AdapterCache cache;
    private final BatchScheduler scheduler;
    private final InferenceLog log;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService refresher;
    private final ServingContext context;
    private boolean closed;

    /** Refused start-up: no base model, a port in use, a lake the log cannot write to. */
    public static final class StartException extends InputError {
        public StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private InferenceServer(ServingSettings settings, String lakeRoot, Map<String, String> hadoopSettings,
                            BatchScheduler.Admission admission) {
        this.settings = settings;
        if (settings.baseModel().isBlank()) {
            throw new StartException("no base model to serve: pass --model DIR or set tributary.serving.base-model", null);
        }
        Path baseDirectory = Path.of(settings.baseModel());
        if (!Files.isRegularFile(baseDirectory.resolve("config.json"))) {
            throw new StartException("the base model " + baseDirectory + " is not a model directory (no config.json)", null);
        }
        ai.djl.engine.Engine.getInstance();
        if (settings.threads() > 0) {
            JniUtils.setNumThreads(settings.threads());
        }
        long startMillis = System.currentTimeMillis();
        try {
            http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 512);
        } catch (IOException e) {
            throw new StartException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        int port = http.getAddress().getPort();
        String serverId = settings.serverId().isEmpty() ? InferenceIds.derivedServerId(settings.host(), port, startMillis) : settings.serverId();
        this.manager = NDManager.newBaseManager();
        this.model = LlamaModel.load(baseDirectory, manager, settings.quantize());
        this.tokenizer = TextTokenizer.forModel(baseDirectory, model.config());
        String baseSha = ModelDirectory.fingerprint(baseDirectory);
        ServingMetrics metrics = new ServingMetrics();
        Engine lake = KernelTable.engine(hadoopSettings);
        AdapterCatalog catalog = new AdapterCatalog(new AdapterRegistry(lake, lakeRoot), baseSha);
        catalog.refresh();
        PriceBook prices = new PriceBook(lake, lakeRoot, settings.defaultPrice());
        prices.refresh();
        this.cache = new AdapterCache(model.config(), manager, settings.cache().deviceBytes(), settings.cache().hostBytes(),
                settings.cache().diskBytes(), settings.cache().diskDirectory(), settings.cache().loaderThreads(), hadoopSettings, metrics);
        this.log = settings.log().sink() == ServingSettings.Sink.KAFKA
                ? new KafkaInferenceLog(settings.log().kafkaBootstrapServers(), settings.log().kafkaTopic(), serverId, settings.log().kafkaProducer())
                : new FileInferenceLog(FileInferenceLog.directoryOf(lakeRoot), serverId, settings.log().rollBytes(),
                        TimeUnit.SECONDS.toMillis(settings.log().rollSeconds()));
        this.scheduler = new BatchScheduler(new BatchedForward(model,
                BatchedForward.Settings.withCacheBytes(model.config(), settings.kvCacheBytes())), tokenizer, tokenizer.eosId(), cache, metrics,
                settings.maxBatchSize(), settings.maxBatchTokens(), settings.maxQueue(), admission, mergePolicy(settings.merge()));
        this.context = new ServingContext(settings, model.config(), tokenizer, baseDirectory.getFileName().toString(), baseSha,
                catalog, cache, prices, new ApiKeyStore(settings.keystore()), log, metrics, scheduler,
                new InferenceIds(serverId, startMillis), new Billing(baseSha));
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lake-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(() -> {
            try {
                if (catalog.refresh()) {
                    LOG.info("adapters table changed: {} adapters servable", catalog.size());
                }
                prices.refresh();
            } catch (RuntimeException e) {
                LOG.warn("cannot re-read the adapters or prices: {}", e.getMessage());
            }
        }, settings.refreshMillis(), settings.refreshMillis(), TimeUnit.MILLISECONDS);
        new ApiHandlers(context).register(http);
        this.httpThreads = Executors.newFixedThreadPool(settings.httpThreads(), runnable -> {
            Thread thread = new Thread(runnable, "http");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(httpThreads);
        http.start();
        LOG.info("serving {} ({} adapters registered for it) on http://{}:{}, log: {}", baseDirectory, catalog.size(),
                settings.host(), port, log.describe());
    }

    /** Starts a server; the caller closes it. */
    public static InferenceServer start(ServingSettings settings, String lakeRoot, Map<String, String> hadoopSettings) {
        return new InferenceServer(settings, lakeRoot, hadoopSettings, BatchScheduler.Admission.CONTINUOUS);
    }

    /** A server admitting requests as {@code admission} says: the naive one-adapter-at-a-time server is a benchmark anchor. */
    public static InferenceServer start(ServingSettings settings, String lakeRoot, Map<String, String> hadoopSettings,
                                        BatchScheduler.Admission admission) {
        return new InferenceServer(settings, lakeRoot, hadoopSettings, admission);
    }

    private static BatchScheduler.MergePolicy mergePolicy(ServingSettings.MergeSettings merge) {
        return merge.mode() == ServingSettings.MergeMode.AUTO
                ? new BatchScheduler.MergePolicy(true, merge.trafficShare(), merge.windowRequests(), merge.minActive())
                : BatchScheduler.MergePolicy.OFF;
    }

    /** Bytes of the base model's weights on the device. */
    public long baseWeightBytes() {
        return model.weightBytes();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + settings.host() + ":" + port();
    }

    public ServingContext context() {
        return context;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.drain(TimeUnit.SECONDS.toMillis(settings.drainSeconds()));
        // Handlers of finished requests may still be writing their records.
        http.stop(1);
        httpThreads.shutdown();
        try {
            httpThreads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refresher.shutdown();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.close();
        log.close();
        cache.close();
        tokenizer.close();
        model.close();
        manager.close();
        LOG.info("server stopped; inference log completed");
    }

}
