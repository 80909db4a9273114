package io.tributary.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.Json;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.lake.kernel.adapters.AdapterRecord;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 concurrent clients over 100 adapters (and the base) for a bounded number of requests, half of them streamed,
 * with a device tier that holds only about a fifth of the adapters (so loads and evictions happen under load).
 * Every 200 has exactly one log record, and the fees in the log equal the fees in the responses, request by request
 * and in total.
 */
class LoadTest {
    static final int CLIENTS = 64;
    static final int REQUESTS_PER_CLIENT = 4;

    @TempDir
    Path root;

    @Test
    void everyAnsweredRequestIsLoggedOnceAndFeesAgree() throws Exception {
        long started = System.nanoTime();
        ServingFixture world = new ServingFixture(root);
        List<AdapterRecord> adapters = world.addAdapters(100, "legal");
        System.err.printf("load test: 100 adapters made and registered in %.1f s%n", (System.nanoTime() - started) / 1e9);
        Map<String, BigInteger> answered = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        String metrics;
        try (InferenceServer server = world.start("tributary.serving { max-batch-size = 48, cache { device-bytes = 100000, host-bytes = 300000 } }")) {
            HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientIndex = c;
                futures.add(clients.submit(() -> {
                    SplittableRandom random = new SplittableRandom(clientIndex);
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        // Skewed popularity: a few adapters get most requests.
                        int pick = (int) Math.floor(Math.pow(random.nextDouble(), 3) * (adapters.size() + 1));
                        String model = pick == adapters.size() ? "base" : adapters.get(pick).adapterId();
                        boolean stream = random.nextBoolean();
                        String body = "{\"model\": \"" + model + "\", \"prompt\": \"Client " + clientIndex + " request " + r
                                + ": the licensee shall\", \"max_tokens\": " + (4 + random.nextInt(12)) + ", \"temperature\": 0.7"
                                + (stream ? ", \"stream\": true" : "") + "}";
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                                .header("Authorization", "Bearer " + world.key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
                            refused.incrementAndGet();
                            continue;
                        }
                        JsonNode tributary = stream ? lastTributary(response.body()) : Json.MAPPER.readTree(response.body()).path("tributary");
                        BigInteger previous = answered.put(tributary.path("inference_id").asText(), new BigInteger(tributary.path("fee_wei").asText()));
                        assertThat(previous).isNull();
                    }
                    return null;
                }));
            }
            long load = System.nanoTime();
            for (Future<?> future : futures) {
                future.get();
            }
            clients.shutdown();
            System.err.printf("load test: %d requests in %.1f s%n", CLIENTS * REQUESTS_PER_CLIENT, (System.nanoTime() - load) / 1e9);
            metrics = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        List<InferenceRecord> records = LogReader.records(world.logDirectory());
        Map<String, List<InferenceRecord>> byId = records.stream().collect(Collectors.groupingBy(InferenceRecord::inferenceId));
        assertThat(answered.size() + refused.get()).isEqualTo(CLIENTS * REQUESTS_PER_CLIENT);
        assertThat(answered.size()).isGreaterThan(CLIENTS * REQUESTS_PER_CLIENT / 2);
        assertThat(records).hasSize(answered.size());
        Map<String, BigInteger> logged = new HashMap<>();
        byId.forEach((id, list) -> {
            assertThat(list).as(id).hasSize(1);
            logged.put(id, list.get(0).feeWei());
        });
        assertThat(logged).isEqualTo(answered);
        BigInteger total = answered.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(records.stream().map(InferenceRecord::feeWei).reduce(BigInteger.ZERO, BigInteger::add)).isEqualTo(total).isPositive();
        assertThat(records.stream().map(InferenceRecord::adapterId).distinct().count()).isGreaterThan(20);
        // The device tier held a fifth of the adapters: it loaded and evicted under load.
        assertThat(metrics).containsPattern("tributary_adapter_cache_evictions_total\\{tier=\"device\"\\} [1-9]");
    }

    private static JsonNode lastTributary(String body) throws Exception {
        JsonNode found = null;
        for (String event : ServingApiTest.events(body)) {
            if (!event.equals("[DONE]")) {
                JsonNode chunk = Json.MAPPER.readTree(event);
                if (chunk.has("tributary")) {
                    found = chunk.path("tributary");
                }
            }
        }
        assertThat(body).endsWith("data: [DONE]\n\n");
        return found;
    }
}
