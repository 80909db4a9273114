package io.tributary.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.Json;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.lake.kernel.adapters.AdapterRecord;
import io.tributary.serving.price.Price;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API through the JDK's HTTP client against a real server on an ephemeral loopback port. */
class ServingApiTest {
    @TempDir
    static Path root;
    static ServingFixture world;
    static InferenceServer server;
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final Price DEFAULT = new Price(new BigInteger("1000000000000"), new BigInteger("3000000000001"));

    @BeforeAll
    static void start() {
        world = new ServingFixture(root);
        world.addAdapters(3, "legal");
        server = world.start("");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    static String completion(String model, String prompt, int maxTokens, String extra) {
        return "{\"model\": \"" + model + "\", \"prompt\": " + Json.MAPPER.valueToTree(prompt) + ", \"max_tokens\": " + maxTokens
                + ", \"temperature\": 0" + extra + "}";
    }

    static InferenceRecord record(String inferenceId) {
        return LogReader.records(world.logDirectory()).stream().filter(r -> r.inferenceId().equals(inferenceId)).findFirst()
                .orElseThrow(() -> new AssertionError("no log record " + inferenceId));
    }

    @Test
    void completionIsBilledAndLoggedOnceBeforeItsResponse() throws Exception {
        AdapterRecord adapter = world.adapters.get(0);
        HttpResponse<String> response = post("/v1/completions", completion(adapter.adapterId(), "Permission is hereby granted", 12, ""), world.key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("object").asText()).isEqualTo("text_completion");
        JsonNode usage = body.path("usage");
        int prompt = usage.path("prompt_tokens").asInt();
        int completion = usage.path("completion_tokens").asInt();
        assertThat(prompt).isEqualTo("Permission is hereby granted".length() + 1);  // bytes + begin-of-sequence
        assertThat(completion).isBetween(1, 12);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(prompt + completion);
        String inferenceId = body.path("tributary").path("inference_id").asText();
        InferenceRecord record = record(inferenceId);
        assertThat(record.adapterId()).isEqualTo(adapter.adapterId());
        assertThat(record.datanet()).isEqualTo("legal");
        assertThat(record.datanetVersion()).hasValue(3);
        assertThat(record.adapterSha256()).isEqualTo(adapter.adapterSha256());
        assertThat(record.baseModelSha256()).isEqualTo(world.baseSha);
        assertThat(record.payer()).isEqualTo(ServingFixture.PAYER);
        assertThat(record.completion()).isEqualTo(body.path("choices").get(0).path("text").asText());
        assertThat(record.promptTokens()).isEqualTo(prompt);
        assertThat(record.completionTokens()).isEqualTo(completion);
        BigInteger expected = BigInteger.valueOf(prompt).multiply(DEFAULT.promptWeiPer1k())
                .add(BigInteger.valueOf(completion).multiply(DEFAULT.completionWeiPer1k()))
                .add(BigInteger.valueOf(999)).divide(BigInteger.valueOf(1000));
        assertThat(record.feeWei()).isEqualTo(expected).isEqualTo(new BigInteger(body.path("tributary").path("fee_wei").asText()));
        assertThat(record.priceVersion()).isEqualTo(body.path("tributary").path("price_version").asText()).startsWith("default-");
        assertThat(record.apiKeyId()).hasSize(16).doesNotContain(world.key);
        assertThat(LogReader.records(world.logDirectory()).stream().filter(r -> r.inferenceId().equals(inferenceId))).hasSize(1);
    }

    @Test
    void adaptersAreNamedByIdOrNameAndChangeTheOutput() throws Exception {
        List<String> texts = new ArrayList<>();
        for (AdapterRecord adapter : world.adapters.subList(0, 3)) {
            HttpResponse<String> byId = post("/v1/completions", completion(adapter.adapterId(), "The licensor grants", 16, ""), world.key);
            HttpResponse<String> byName = post("/v1/completions", completion(adapter.name(), "The licensor grants", 16, ""), world.key);
            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(byName.statusCode()).isEqualTo(200);
            String text = json(byId).path("choices").get(0).path("text").asText();
            assertThat(json(byName).path("choices").get(0).path("text").asText()).isEqualTo(text);
            texts.add(text);
        }
        HttpResponse<String> base = post("/v1/completions", completion("base", "The licensor grants", 16, ""), world.key);
        assertThat(base.statusCode()).isEqualTo(200);
        texts.add(json(base).path("choices").get(0).path("text").asText());
        assertThat(texts).doesNotHaveDuplicates();
        InferenceRecord baseRecord = record(json(base).path("tributary").path("inference_id").asText());
        assertThat(baseRecord.isBaseModel()).isTrue();
        assertThat(baseRecord.datanetVersion()).isEmpty();
    }

    @Test
    void seededSamplingRepeatsAndStreamingGivesTheSameText() throws Exception {
        String model = world.adapters.get(1).adapterId();
        String body = "{\"model\": \"" + model + "\", \"prompt\": \"Copyright (c)\", \"max_tokens\": 20, \"temperature\": 0.9, "
                + "\"top_p\": 0.95, \"seed\": 42";
        String first = json(post("/v1/completions", body + "}", world.key)).path("choices").get(0).path("text").asText();
        String second = json(post("/v1/completions", body + "}", world.key)).path("choices").get(0).path("text").asText();
        assertThat(second).isEqualTo(first);
        HttpResponse<String> streamed = post("/v1/completions", body + ", \"stream\": true, \"stream_options\": {\"include_usage\": true}}", world.key);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> events = events(streamed.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        String inferenceId = null;
        int usageChunks = 0;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.MAPPER.readTree(event);
            if (chunk.has("usage")) {
                usageChunks++;
                assertThat(chunk.path("choices")).isEmpty();
                continue;
            }
            text.append(chunk.path("choices").get(0).path("text").asText());
            if (chunk.has("tributary")) {
                inferenceId = chunk.path("tributary").path("inference_id").asText();
            }
        }
        assertThat(usageChunks).isEqualTo(1);
        assertThat(text.toString()).isEqualTo(first);
        assertThat(record(inferenceId).completion()).isEqualTo(first);
    }

    @Test
    void chatStreamsDeltasAndAppliesTheTemplate() throws Exception {
        String model = world.adapters.get(2).name();
        String messages = "[{\"role\": \"system\", \"content\": \"You answer about licenses.\"}, {\"role\": \"user\", \"content\": \"What is MIT?\"}]";
        HttpResponse<String> plain = post("/v1/chat/completions", "{\"model\": \"" + model + "\", \"messages\": " + messages
                + ", \"max_tokens\": 10, \"temperature\": 0}", world.key);
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        JsonNode body = json(plain);
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        String content = body.path("choices").get(0).path("message").path("content").asText();
        int expectedPrompt = 1 + "<|system|>\nYou answer about licenses.\n<|user|>\nWhat is MIT?\n<|assistant|>\n".length();
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(expectedPrompt);
        HttpResponse<String> streamed = post("/v1/chat/completions", "{\"model\": \"" + model + "\", \"messages\": " + messages
                + ", \"max_tokens\": 10, \"temperature\": 0, \"stream\": true}", world.key);
        List<String> events = events(streamed.body());
        StringBuilder text = new StringBuilder();
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.MAPPER.readTree(event);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            text.append(chunk.path("choices").get(0).path("delta").path("content").asText(""));
        }
        assertThat(text.toString()).isEqualTo(content);
    }

    @Test
    void stopSequencesEndTheCompletionBeforeThem() throws Exception {
        String model = world.adapters.get(0).adapterId();
        String full = json(post("/v1/completions", completion(model, "MIT License", 24, ""), world.key))
                .path("choices").get(0).path("text").asText();
        assertThat(full.length()).isGreaterThan(6);
        String stop = full.substring(4, 6);
        int cut = full.indexOf(stop);
        JsonNode stopped = json(post("/v1/completions", completion(model, "MIT License", 24, ", \"stop\": [" + Json.MAPPER.valueToTree(stop) + "]"), world.key));
        assertThat(stopped.path("choices").get(0).path("text").asText()).isEqualTo(full.substring(0, cut));
        assertThat(stopped.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void refusalsHaveOpenAiShapeAndWriteNoRecord() throws Exception {
        String model = world.adapters.get(0).adapterId();
        long before = LogReader.records(world.logDirectory()).size();
        assertError(post("/v1/completions", "{\"model\": ", world.key), 400, "invalid_json", null);
        assertError(post("/v1/completions", "{\"model\": \"" + model + "\", \"prompt\": \"x\", \"max_tokens\": \"ten\"}", world.key), 400, "invalid_value", "max_tokens");
        assertError(post("/v1/completions", "{\"model\": \"" + model + "\", \"prompt\": 7}", world.key), 400, "invalid_value", "prompt");
        assertError(post("/v1/completions", "{\"model\": \"" + model + "\", \"prompt\": \"x\", \"temperature\": 5}", world.key), 400, "invalid_value", "temperature");
        assertError(post("/v1/completions", completion(model, "x", 4, ""), null), 401, "missing_api_key", null);
        assertError(post("/v1/completions", completion(model, "x", 4, ""), "trib-not-a-key"), 401, "invalid_api_key", null);
        assertError(post("/v1/completions", completion("no-such-adapter", "x", 4, ""), world.key), 404, "model_not_found", "model");
        assertError(post("/v1/completions", completion(model, "x".repeat(250), 10, ""), world.key), 400, "context_length_exceeded", "max_tokens");
        assertError(post("/v1/completions", completion(model, "y".repeat(1_100_000), 4, ""), world.key), 413, "request_too_large", null);
        assertError(get("/v1/completions", world.key), 405, "method_not_allowed", null);
        assertThat(LogReader.records(world.logDirectory())).hasSize((int) before);
        // The server is still up.
        assertThat(post("/v1/completions", completion(model, "still up", 2, ""), world.key).statusCode()).isEqualTo(200);
    }

    static void assertError(HttpResponse<String> response, int status, String code, String param) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isNotBlank();
        assertThat(error.path("code").asText()).isEqualTo(code);
        if (param == null) {
            assertThat(error.path("param").isNull()).isTrue();
        } else {
            assertThat(error.path("param").asText()).isEqualTo(param);
        }
        assertThat(response.body()).doesNotContain(world.key);
    }

    @Test
    void requestsMergeAdaptersLinearlyAndBillTheHeaviest() throws Exception {
        AdapterRecord a = world.adapters.get(0);
        AdapterRecord b = world.adapters.get(1);
        String alone = json(post("/v1/completions", completion(a.adapterId(), "Merged adapters", 16, ""), world.key))
                .path("choices").get(0).path("text").asText();
        String other = json(post("/v1/completions", completion(b.adapterId(), "Merged adapters", 16, ""), world.key))
                .path("choices").get(0).path("text").asText();
        HttpResponse<String> weighted = post("/v1/completions", completion(a.name() + ":1+" + b.name() + ":0", "Merged adapters", 16, ""), world.key);
        assertThat(weighted.statusCode()).as(weighted.body()).isEqualTo(200);
        assertThat(json(weighted).path("choices").get(0).path("text").asText()).isEqualTo(alone);
        HttpResponse<String> even = post("/v1/completions", completion(a.adapterId() + "+" + b.adapterId(), "Merged adapters", 16, ""), world.key);
        assertThat(even.statusCode()).isEqualTo(200);
        String mixed = json(even).path("choices").get(0).path("text").asText();
        assertThat(mixed).isNotEqualTo(alone).isNotEqualTo(other);
        HttpResponse<String> lorax = post("/v1/completions", "{\"model\": \"ignored\", \"prompt\": \"Merged adapters\", \"max_tokens\": 16, "
                + "\"temperature\": 0, \"merged_adapters\": {\"ids\": [\"" + a.adapterId() + "\", \"" + b.adapterId()
                + "\"], \"weights\": [0.5, 0.5], \"merge_strategy\": \"linear\"}}", world.key);
        assertThat(json(lorax).path("choices").get(0).path("text").asText()).isEqualTo(mixed);
        InferenceRecord billed = record(json(weighted).path("tributary").path("inference_id").asText());
        assertThat(billed.adapterId()).isEqualTo(a.adapterId());
        assertError(post("/v1/completions", completion(a.adapterId() + "+base", "x", 2, ""), world.key), 400, "invalid_value", "model");
    }

    @Test
    void modelsListTheBaseAndEveryAdapterWithDatanetAndPrice() throws Exception {
        HttpResponse<String> response = get("/v1/models", world.key);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = json(response).path("data");
        assertThat(data.get(0).path("id").asText()).isEqualTo("base");
        List<String> ids = new ArrayList<>();
        data.forEach(model -> ids.add(model.path("id").asText()));
        assertThat(ids).containsAll(world.adapters.subList(0, 3).stream().map(AdapterRecord::adapterId).toList());
        JsonNode adapter = data.get(1).path("tributary");
        assertThat(adapter.path("datanet").asText()).isEqualTo("legal");
        assertThat(adapter.path("datanet_version").asLong()).isEqualTo(3);
        assertThat(adapter.path("creator").asText()).isEqualTo(ServingFixture.CREATOR.value());
        assertThat(adapter.path("price").path("completion_wei_per_1k").asText()).isEqualTo("3000000000001");
    }

    @Test
    void anAdapterRegisteredWhileServingBecomesServable() throws Exception {
        AdapterRecord late = world.addAdapters(1, "medical").get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/v1/models", world.key).body().contains(late.adapterId()));
        HttpResponse<String> response = post("/v1/completions", completion(late.name(), "Late", 4, ""), world.key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(record(json(response).path("tributary").path("inference_id").asText()).datanet()).isEqualTo("medical");
    }

    @Test
    void adaptersLoadAndUnloadByPathAsVllmDoes() throws Exception {
        AdapterRecord adapter = world.adapters.get(1);
        HttpResponse<String> loaded = post("/v1/load_lora_adapter", "{\"lora_name\": \"pinned-one\", \"lora_path\": "
                + Json.MAPPER.valueToTree(adapter.artifactPath()) + "}", world.key);
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        HttpResponse<String> used = post("/v1/completions", completion("pinned-one", "Pinned", 3, ""), world.key);
        assertThat(used.statusCode()).isEqualTo(200);
        assertThat(record(json(used).path("tributary").path("inference_id").asText()).adapterId()).isEqualTo(adapter.adapterId());
        Path unregistered = root.resolve("unregistered");
        Files.createDirectories(unregistered);
        Files.writeString(unregistered.resolve("adapter_config.json"), "{}");
        Files.writeString(unregistered.resolve("adapter_model.safetensors"), "x");
        assertError(post("/v1/load_lora_adapter", "{\"lora_name\": \"stranger\", \"lora_path\": " + Json.MAPPER.valueToTree(unregistered.toString()) + "}",
                world.key), 404, "adapter_not_registered", "lora_path");
        assertThat(post("/v1/unload_lora_adapter", "{\"lora_name\": \"pinned-one\"}", world.key).statusCode()).isEqualTo(200);
        assertError(post("/v1/completions", completion("pinned-one", "Pinned", 3, ""), world.key), 404, "model_not_found", "model");
    }

    @Test
    void metricsCountRequestsTokensCacheAndNeverShowKeys() throws Exception {
        post("/v1/completions", completion(world.adapters.get(0).adapterId(), "metrics", 3, ""), world.key);
        HttpResponse<String> metrics = get("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("tributary_requests_total{adapter=\"" + world.adapters.get(0).adapterId().substring(0, 16) + "\",status=\"200\"}")
                .contains("tributary_completion_tokens_total").contains("tributary_time_to_first_token_seconds_bucket")
                .contains("tributary_adapter_cache_hits_total{tier=\"device\"}").contains("tributary_adapter_cache_resident_bytes{tier=\"device\"}")
                .contains("tributary_batch_size_bucket").contains("tributary_queue_depth")
                .doesNotContain(world.key);
    }

    @Test
    void concurrentRequestsBeyondTheQueueGet429AndTheRestAreBilledOnce() throws Exception {
        try (InferenceServer small = InferenceServer.start(world.settings("tributary.serving { max-queue = 1, max-batch-size = 1 }"),
                world.lakeRoot, java.util.Map.of())) {
            String model = world.adapters.get(0).adapterId();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(small.baseUrl() + "/v1/completions"))
                        .header("Authorization", "Bearer " + world.key)
                        .POST(HttpRequest.BodyPublishers.ofString(completion(model, "queue " + i, 40, ""))).build();
                responses.add(CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            List<String> ids = new ArrayList<>();
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> future : responses) {
                HttpResponse<String> response = future.get();
                if (response.statusCode() == 429) {
                    refused++;
                    assertThat(json(response).path("error").path("code").asText()).isEqualTo("queue_full");
                } else {
                    assertThat(response.statusCode()).isEqualTo(200);
                    ids.add(json(response).path("tributary").path("inference_id").asText());
                }
            }
            assertThat(refused).isPositive();
            List<InferenceRecord> records = LogReader.records(world.logDirectory());
            for (String id : ids) {
                assertThat(records.stream().filter(r -> r.inferenceId().equals(id))).hasSize(1);
            }
        }
    }

    @Test
    void aClientLeavingMidStreamIsBilledForWhatWasGeneratedAsCancelled() throws Exception {
        String model = world.adapters.get(2).adapterId();
        long before = LogReader.records(world.logDirectory()).stream().filter(r -> r.finishReason().equals("cancelled")).count();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                .header("Authorization", "Bearer " + world.key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": \"Leaving\", \"max_tokens\": 240, "
                        + "\"temperature\": 1.0, \"seed\": 3, \"stop\": [\"\\u0000never\"], \"stream\": true}")).build();
        HttpResponse<java.io.InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).startsWith("data: ");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> LogReader.records(world.logDirectory()).stream()
                .filter(r -> r.finishReason().equals("cancelled")).count() > before);
        InferenceRecord cancelled = LogReader.records(world.logDirectory()).stream().filter(r -> r.finishReason().equals("cancelled"))
                .reduce((first, second) -> second).orElseThrow();
        assertThat(cancelled.adapterId()).isEqualTo(model);
        assertThat(cancelled.completionTokens()).isBetween(1L, 239L);
        assertThat(cancelled.feeWei()).isEqualTo(DEFAULT.fee(cancelled.promptTokens(), cancelled.completionTokens()));
    }

    static List<String> events(String body) {
        return Stream.of(body.split("\n\n")).filter(event -> event.startsWith("data: ")).map(event -> event.substring(6)).toList();
    }
}
