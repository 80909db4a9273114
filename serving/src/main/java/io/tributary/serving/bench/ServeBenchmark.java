package io.tributary.serving.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.Json;
import io.tributary.core.config.TributaryConfig;
import io.tributary.core.crypto.Address;
import io.tributary.lake.kernel.KernelTable;
import io.tributary.lake.kernel.adapters.AdapterRegistry;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.ModelDirectory;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.serving.InferenceServer;
import io.tributary.serving.ServingSettings;
import io.tributary.serving.adapters.AdapterCache;
import io.tributary.serving.engine.BatchScheduler;
import io.tributary.serving.keys.ApiKeyStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench serve}: the server on loopback under the workload S-LoRA and Punica use: N adapters with power-law
 * popularity (adapter k drawn with probability proportional to 1 / k^s), prompts cut from real licence texts (SPDX)
 * with lengths uniform in a range, output lengths uniform in a range, a closed loop of C clients or Poisson
 * arrivals. Scenarios, each on a fresh server over the same lake: (d) the bare base model, (a) all traffic on one
 * adapter, (b) this server at each N, (c) the naive server (one adapter loaded at a time, its queue served before the
 * next), and cold starts (time to first token of a never-loaded adapter against a resident one, server idle).
 */
public final class ServeBenchmark {
    /** What a run is asked for. */
    public record Options(String preset, List<Integer> adapterCounts, int requests, int clients, double rate, double zipf,
                          int promptMin, int promptMax, int outputMin, int outputMax, long seed, Path work, Path licenses,
                          int coldStarts, int rounds) {}

    /** One scenario's measurements. */
    public record Result(String scenario, int adapters, int requests, long completionTokens, double seconds, double tokensPerSecond,
                         double ttftP50, double ttftP99, double latencyP50, double latencyP99, long baseBytes, long adapterDeviceBytes,
                         long rssBytes, int distinctAdapters, double engineCpuSeconds, double loaderCpuSeconds) {
        /**
         * Completion tokens per CPU second of the engine's thread (the scheduler, which runs every step): on a shared
         * machine this moves far less with load than tokens/s, since waiting for a core costs no CPU time.
         */
        public double tokensPerEngineCpuSecond() {
            return engineCpuSeconds > 0 ? completionTokens / engineCpuSeconds : 0;
        }
    }

    private record Item(int adapter, String prompt, int maxTokens, long seed) {}

    private final Options options;
    private final LlamaConfig config;

    public ServeBenchmark(Options options, LlamaConfig config) {
        this.options = options;
        this.config = config;
    }

    public Map<String, Object> run() throws Exception {
        Files.createDirectories(options.work());
        Path model = options.work().resolve("model-" + options.preset());
        if (!Files.isRegularFile(model.resolve("model.safetensors"))) {
            try (NDManager manager = NDManager.newBaseManager()) {
                ModelDirectory.write(model, config, ModelDirectory.randomWeights(config, 1, manager), TensorDtype.F32);
            }
        }
        String baseSha = ModelDirectory.fingerprint(model);
        int maxAdapters = options.adapterCounts().stream().mapToInt(Integer::intValue).max().orElse(1);
        Path lake = options.work().resolve("lake-" + options.preset() + "-" + maxAdapters);
        AdapterRegistry registry = new AdapterRegistry(KernelTable.engine(Map.of()), "file:" + lake.toAbsolutePath());
        if (registry.version() < 0) {
            long started = System.nanoTime();
            BenchAdapters.create(options.work().resolve("adapters-" + options.preset()), config, model.toString(), baseSha, maxAdapters, registry);
            System.err.printf("bench serve: %d adapters written and registered in %.1f s%n", maxAdapters, (System.nanoTime() - started) / 1e9);
        }
        List<String> ids = registry.list(List.of("adapter_id", "created_at", AdapterRegistry.NAME)).stream()
                .sorted((x, y) -> ((String) x.get(AdapterRegistry.NAME)).compareTo((String) y.get(AdapterRegistry.NAME)))
                .map(row -> (String) row.get("adapter_id")).toList();
        Path keystore = options.work().resolve("api-keys.json");
        String key = new ApiKeyStore(keystore).create(Address.of("0x00000000000000000000000000000000000000be"), "bench").secret();
        List<String> texts = licenseTexts(options.licenses());
        List<Result> results = new ArrayList<>();
        // Warm-up (discarded): the JIT and the engine's first allocations would otherwise be charged to the first scenario.
        scenario("warm-up", "many", Math.min(10, ids.size()), ids, model, lake, keystore, key, texts, BatchScheduler.Admission.CONTINUOUS,
                Math.max(8, options.requests() / 4));
        // Rounds interleave the scenarios, so a change in the machine's load hits every side of the comparison alike.
        for (int round = 0; round < options.rounds(); round++) {
            results.add(scenario("d: base model", "base", 1, ids, model, lake, keystore, key, texts, BatchScheduler.Admission.CONTINUOUS));
            results.add(scenario("a: one adapter", "one", 1, ids, model, lake, keystore, key, texts, BatchScheduler.Admission.CONTINUOUS));
            for (int count : options.adapterCounts()) {
                if (count > 1) {
                    results.add(scenario("b: this server, N=" + count, "many", count, ids, model, lake, keystore, key, texts,
                            BatchScheduler.Admission.CONTINUOUS));
                }
            }
            results.add(scenario("c: naive, one adapter at a time, N=" + maxAdapters, "many", maxAdapters, ids, model, lake, keystore,
                    key, texts, BatchScheduler.Admission.ONE_ADAPTER_AT_A_TIME));
        }
        Map<String, Object> cold = coldStarts(ids, model, lake, keystore, key, texts);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("preset", options.preset());
        out.put("options", options.toString());
        out.put("results", results);
        out.put("cold_start", cold);
        return out;
    }

    private ServingSettings settings(Path model, Path lake, Path keystore, boolean naive, int adapters) {
        long adapterBytes = 2L * config.numHiddenLayers() * 16 * (config.hiddenSize() * 2L + (long) config.numAttentionHeads() * config.headDim()) * 4;
        String cache = naive ? "cache { device-bytes = %d, host-bytes = %d }".formatted(adapterBytes + 1, adapterBytes + 1) : "";
        TributaryConfig parsed = TributaryConfig.parse("""
                tributary.lake.root = "file:%s"
                tributary.serving {
                  base-model = "%s"
                  port = 0
                  threads = %d
                  keystore = "%s"
                  max-batch-size = 64
                  max-batch-tokens = 512
                  max-queue = 4096
                  http-threads = 256
                  refresh-ms = 60000
                  default-max-tokens = 64
                  cache.disk-directory = "%s"
                  %s
                }
                """.formatted(lake.toAbsolutePath(), model.toAbsolutePath(), Integer.getInteger("tributary.bench.threads", 1),
                keystore.toAbsolutePath(), options.work().resolve("disk-cache").toAbsolutePath(), cache), options.work());
        return ServingSettings.from(parsed);
    }

    private Result scenario(String name, String traffic, int adapterCount, List<String> ids, Path model, Path lake, Path keystore,
                            String key, List<String> texts, BatchScheduler.Admission admission) throws Exception {
        return scenario(name, traffic, adapterCount, ids, model, lake, keystore, key, texts, admission, options.requests());
    }

    private Result scenario(String name, String traffic, int adapterCount, List<String> ids, Path model, Path lake, Path keystore,
                            String key, List<String> texts, BatchScheduler.Admission admission, int requests) throws Exception {
        List<Item> items = workload(adapterCount, texts).subList(0, requests);
        boolean naive = admission == BatchScheduler.Admission.ONE_ADAPTER_AT_A_TIME;
        System.err.printf("bench serve: %s (%d requests)%n", name, items.size());
        try (InferenceServer server = InferenceServer.start(settings(model, lake, keystore, naive, adapterCount),
                "file:" + lake.toAbsolutePath(), Map.of(), admission)) {
            HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            double[] ttft = new double[items.size()];
            double[] latency = new double[items.size()];
            long[] tokens = new long[items.size()];
            AtomicInteger next = new AtomicInteger();
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(options.rate() > 0 ? Math.min(512, items.size()) : options.clients());
            List<Future<?>> futures = new ArrayList<>();
            if (options.rate() > 0) {
                SplittableRandom arrivals = new SplittableRandom(options.seed() + 7);
                double at = 0;
                for (int i = 0; i < items.size(); i++) {
                    at += -Math.log(1 - arrivals.nextDouble()) / options.rate();
                    long due = started + (long) (at * 1e9);
                    int index = i;
                    futures.add(pool.submit(() -> {
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        send(client, server, key, model(traffic, items.get(index), ids), items.get(index), index, ttft, latency, tokens);
                        return null;
                    }));
                }
            } else {
                for (int c = 0; c < options.clients(); c++) {
                    futures.add(pool.submit(() -> {
                        for (int index = next.getAndIncrement(); index < items.size(); index = next.getAndIncrement()) {
                            send(client, server, key, model(traffic, items.get(index), ids), items.get(index), index, ttft, latency, tokens);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> future : futures) {
                future.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            long total = Arrays.stream(tokens).sum();
            AdapterCache.Usage usage = server.context().cache().usage();
            int distinct = (int) items.stream().map(item -> model(traffic, item, ids)).distinct().count();
            Result result = new Result(name, adapterCount, items.size(), total, seconds, total / seconds, percentile(ttft, 50),
                    percentile(ttft, 99), percentile(latency, 50), percentile(latency, 99), server.baseWeightBytes(),
                    usage.deviceBytes(), rss(), distinct, cpuSeconds(BatchScheduler.THREAD_NAME), cpuSeconds(AdapterCache.LOADER_THREAD_NAME));
            long steps = server.context().metrics().steps();
            System.err.printf("  %.1f tokens/s (%.1f per engine CPU s; engine %.2f CPU s, loaders %.2f CPU s), ttft p50 %.3f s p99 %.3f s,"
                    + " latency p50 %.2f s p99 %.2f s; %d steps, %.1f rows a step%n", result.tokensPerSecond(), result.tokensPerEngineCpuSecond(),
                    result.engineCpuSeconds(), result.loaderCpuSeconds(), result.ttftP50(), result.ttftP99(), result.latencyP50(),
                    result.latencyP99(), steps, steps == 0 ? 0.0 : (double) server.context().metrics().stepTokens() / steps);
            return result;
        }
    }

    private static String model(String traffic, Item item, List<String> ids) {
        return switch (traffic) {
            case "base" -> "base";
            case "one" -> ids.get(0);
            default -> ids.get(item.adapter());
        };
    }

    private List<Item> workload(int adapterCount, List<String> texts) {
        SplittableRandom random = new SplittableRandom(options.seed());
        double[] cumulative = new double[adapterCount];
        double sum = 0;
        for (int k = 0; k < adapterCount; k++) {
            sum += 1.0 / Math.pow(k + 1, options.zipf());
            cumulative[k] = sum;
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < options.requests(); i++) {
            double u = random.nextDouble() * sum;
            int adapter = Arrays.binarySearch(cumulative, u);
            adapter = adapter >= 0 ? adapter : Math.min(adapterCount - 1, -adapter - 1);
            String text = texts.get(random.nextInt(texts.size()));
            int length = options.promptMin() + random.nextInt(options.promptMax() - options.promptMin() + 1);
            int start = text.length() > length ? random.nextInt(text.length() - length) : 0;
            String prompt = text.substring(start, Math.min(text.length(), start + length));
            int output = options.outputMin() + random.nextInt(options.outputMax() - options.outputMin() + 1);
            items.add(new Item(adapter, prompt, output, random.nextLong()));
        }
        return items;
    }

    private static void send(HttpClient client, InferenceServer server, String key, String model, Item item, int index,
                             double[] ttft, double[] latency, long[] tokens) throws Exception {
        String body = "{\"model\": \"" + model + "\", \"prompt\": " + Json.MAPPER.valueToTree(item.prompt()) + ", \"max_tokens\": "
                + item.maxTokens() + ", \"temperature\": 0.8, \"seed\": " + item.seed() + ", \"stream\": true, "
                + "\"stream_options\": {\"include_usage\": true}}";
        long sent = System.nanoTime();
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("request " + index + " got " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        double first = -1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = Json.MAPPER.readTree(line.substring(6));
                if (first < 0 && chunk.path("choices").size() > 0) {
                    first = (System.nanoTime() - sent) / 1e9;
                }
                if (chunk.has("usage")) {
                    tokens[index] = chunk.path("usage").path("completion_tokens").asLong();
                }
            }
        }
        latency[index] = (System.nanoTime() - sent) / 1e9;
        ttft[index] = first < 0 ? latency[index] : first;
    }

    /** Time to first token of adapters never loaded against one already resident, with the server otherwise idle. */
    private Map<String, Object> coldStarts(List<String> ids, Path model, Path lake, Path keystore, String key, List<String> texts)
            throws Exception {
        int count = Math.min(options.coldStarts(), ids.size() - 1);
        double[] cold = new double[count];
        double[] warm = new double[count];
        try (InferenceServer server = InferenceServer.start(settings(model, lake, keystore, false, ids.size()),
                "file:" + lake.toAbsolutePath(), Map.of(), BatchScheduler.Admission.CONTINUOUS)) {
            HttpClient client = HttpClient.newHttpClient();
            Item item = new Item(0, texts.get(0).substring(0, Math.min(64, texts.get(0).length())), 4, 1);
            double[] scratch = new double[1];
            long[] tokens = new long[1];
            send(client, server, key, ids.get(0), item, 0, scratch, new double[1], tokens);
            for (int i = 0; i < count; i++) {
                double[] first = new double[1];
                send(client, server, key, ids.get(0), item, 0, first, new double[1], tokens);
                warm[i] = first[0];
                send(client, server, key, ids.get(ids.size() - 1 - i), item, 0, first, new double[1], tokens);
                cold[i] = first[0];
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("samples", count);
        out.put("cold_ttft_p50_s", percentile(cold, 50));
        out.put("warm_ttft_p50_s", percentile(warm, 50));
        out.put("cold_minus_warm_p50_ms", (percentile(cold, 50) - percentile(warm, 50)) * 1000);
        System.err.printf("bench serve: cold start ttft p50 %.1f ms vs warm %.1f ms%n", percentile(cold, 50) * 1000, percentile(warm, 50) * 1000);
        return out;
    }

    private static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /**
     * CPU seconds used so far by the live threads of that name. Each scenario runs on a fresh server whose engine and
     * loader threads start with it (the previous server's are gone), so read before the server closes this is the
     * scenario's own use.
     */
    private static double cpuSeconds(String threadName) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(threadName)) {
                nanos += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return nanos / 1e9;
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    static List<String> licenseTexts(Path directory) {
        List<String> texts = new ArrayList<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String text = Json.MAPPER.readTree(file.toFile()).path("licenseText").asText("");
                if (text.length() > 400) {
                    texts.add(text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SPDX licence texts in " + directory, e);
        }
        if (texts.isEmpty()) {
            throw new IllegalStateException("no licence texts in " + directory);
        }
        return texts;
    }
}
