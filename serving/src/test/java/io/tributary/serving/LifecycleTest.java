package io.tributary.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.Json;
import io.tributary.lake.kernel.adapters.AdapterRecord;
import io.tributary.model.batch.BatchedForward;
import io.tributary.model.batch.DeviceAdapter;
import io.tributary.model.batch.Generator;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.Quantization;
import io.tributary.model.tokenizer.TextTokenizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving over an int8 base, and a shutdown that refuses new requests with 503 while it drains the running ones. */
class LifecycleTest {
    @TempDir
    Path root;

    static HttpRequest completion(InferenceServer server, ServingFixture world, String model, String prompt, int maxTokens, boolean stream) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                .header("Authorization", "Bearer " + world.key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": " + Json.MAPPER.valueToTree(prompt)
                        + ", \"max_tokens\": " + maxTokens + ", \"temperature\": 0" + (stream ? ", \"stream\": true" : "") + "}")).build();
    }

    @Test
    void anInt8BaseServesAdaptersAsTheRuntimeGeneratesOnIt() throws Exception {
        ServingFixture world = new ServingFixture(root);
        AdapterRecord adapter = world.addAdapters(1, "legal").get(0);
        HttpClient client = HttpClient.newHttpClient();
        String served;
        long servedBytes;
        try (InferenceServer server = world.start("tributary.serving.quantize = \"int8\"")) {
            HttpResponse<String> response = client.send(completion(server, world, adapter.adapterId(), "Quantized base", 16, false),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            served = Json.MAPPER.readTree(response.body()).path("choices").get(0).path("text").asText();
            servedBytes = server.baseWeightBytes();
        }
        try (NDManager manager = NDManager.newBaseManager();
             LlamaModel model = LlamaModel.load(world.model, manager, Quantization.INT8);
             TextTokenizer tokenizer = TextTokenizer.forModel(world.model, model.config());
             BatchedForward engine = new BatchedForward(model);
             DeviceAdapter device = DeviceAdapter.load(Path.of(adapter.artifactPath()), model.config(), manager)) {
            assertThat(served).isEqualTo(Generator.generate(engine, device, tokenizer, "Quantized base", 16, 0, 0).text());
            try (LlamaModel float32 = LlamaModel.load(world.model, manager)) {
                assertThat(servedBytes).isEqualTo(model.weightBytes()).isLessThan(float32.weightBytes() / 2);
            }
        }
    }

    @Test
    void shuttingDownRefusesNewRequestsWith503AndFinishesRunningOnes() throws Exception {
        ServingFixture world = new ServingFixture(root);
        AdapterRecord adapter = world.addAdapters(1, "legal").get(0);
        HttpClient client = HttpClient.newHttpClient();
        InferenceServer server = world.start("tributary.serving { drain-seconds = 20 }");
        // Enough work that the drain lasts a while: 24 streams of up to 230 tokens.
        java.util.List<CompletableFuture<HttpResponse<String>>> running = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            running.add(client.sendAsync(completion(server, world, adapter.adapterId(), "A long answer " + i, 230, true),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("tributary_running_sequences 24.0"));
        int recordsBefore = LogReader.records(world.logDirectory()).size();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        AtomicInteger refusals = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> refused = client.send(completion(server, world, adapter.adapterId(), "too late", 2, false),
                    HttpResponse.BodyHandlers.ofString());
            if (refused.statusCode() == 503) {
                JsonNode error = Json.MAPPER.readTree(refused.body()).path("error");
                assertThat(error.path("code").asText()).isEqualTo("server_shutting_down");
                refusals.incrementAndGet();
                return true;
            }
            return false;
        });
        for (CompletableFuture<HttpResponse<String>> future : running) {
            assertThat(future.get().statusCode()).isEqualTo(200);
            assertThat(future.get().body()).endsWith("data: [DONE]\n\n");
        }
        closing.get();
        assertThat(refusals.get()).isPositive();
        // The running requests were billed; the refused ones were not.
        assertThat(LogReader.records(world.logDirectory())).hasSize(recordsBefore + 24);
    }

    @Test
    void theKvCacheBoundQueuesWhatDoesNotFitAndRefusesWhatNeverWould() throws Exception {
        ServingFixture world = new ServingFixture(root);
        AdapterRecord adapter = world.addAdapters(1, "legal").get(0);
        // Nine blocks: one is the cache's padding, eight (128 positions) hold sequences: two requests of 64 at a time.
        long bound = 9 * BatchedForward.cacheBlockBytes(world.config);
        HttpClient client = HttpClient.newHttpClient();
        try (InferenceServer server = world.start("tributary.serving.kv-cache-bytes = " + bound)) {
            java.util.List<CompletableFuture<HttpResponse<String>>> requests = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // "Prompt n" is 8 byte tokens plus the begin token; with 40 new tokens: 49 positions, 4 blocks.
                requests.add(client.sendAsync(completion(server, world, adapter.adapterId(), "Prompt " + i, 40, true),
                        HttpResponse.BodyHandlers.ofString()));
            }
            int mostRunning = 0;
            while (!CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).isDone()) {
                String metrics = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                java.util.regex.Matcher running = java.util.regex.Pattern.compile("(?m)^tributary_running_sequences (\\d+)").matcher(metrics);
                if (running.find()) {
                    mostRunning = Math.max(mostRunning, Integer.parseInt(running.group(1)));
                }
            }
            for (CompletableFuture<HttpResponse<String>> request : requests) {
                assertThat(request.get().statusCode()).as(request.get().body()).isEqualTo(200);
            }
            assertThat(mostRunning).as("sequences in flight under the cache bound").isLessThanOrEqualTo(2);

            HttpResponse<String> tooLarge = client.send(completion(server, world, adapter.adapterId(), "Prompt", 200, false),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooLarge.statusCode()).isEqualTo(400);
            assertThat(tooLarge.body()).contains("context_length_exceeded").contains("kv-cache-bytes");
        }
    }
}
