package io.tributary.serving;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.Json;
import io.tributary.lake.kernel.adapters.AdapterRecord;
import io.tributary.model.batch.Generator;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.tokenizer.TextTokenizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixed batch changes nothing: greedy completions of eight adapters (ranks 2, 4 and 8, different target modules)
 * and the bare base, sent concurrently so they share batches, are token for token what each gives alone through the
 * server, and what the runtime's {@link Generator} gives with the adapter applied to the model, which is the code
 * {@code bin/tributary model generate --adapter} runs.
 */
class MixedBatchTest {
    static final String[] PROMPTS = {"Permission is hereby granted, free of charge,", "THE SOFTWARE IS PROVIDED \"AS IS\"",
            "Redistribution and use in source and binary forms", "Licensed under the Apache License"};
    static final int MAX_TOKENS = 24;

    @TempDir
    Path root;

    @Test
    void concurrentGreedyCompletionsEqualEachAloneAndModelGenerate() throws Exception {
        ServingFixture world = new ServingFixture(root);
        List<AdapterRecord> adapters = world.addAdapters(8, "legal");
        List<String> models = new ArrayList<>();
        adapters.forEach(adapter -> models.add(adapter.adapterId()));
        models.add("base");
        HttpClient client = HttpClient.newHttpClient();
        Map<String, String> alone = new HashMap<>();
        Map<String, String> mixed = new HashMap<>();
        try (InferenceServer server = world.start("tributary.serving { max-batch-size = 64, max-batch-tokens = 96 }")) {
            for (String model : models) {
                for (int p = 0; p < PROMPTS.length; p++) {
                    alone.put(model + "/" + p, text(client.send(request(server, world, model, PROMPTS[p]), HttpResponse.BodyHandlers.ofString())));
                }
            }
            Map<String, CompletableFuture<HttpResponse<String>>> futures = new HashMap<>();
            for (int p = 0; p < PROMPTS.length; p++) {
                for (String model : models) {
                    futures.put(model + "/" + p, client.sendAsync(request(server, world, model, PROMPTS[p]), HttpResponse.BodyHandlers.ofString()));
                }
            }
            for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> entry : futures.entrySet()) {
                mixed.put(entry.getKey(), text(entry.getValue().get()));
            }
            String batchSizes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            // The concurrent phase really batched several sequences in one step.
            assertThat(batchSizes).containsPattern("tributary_batch_size_bucket\\{le=\"8.0\"\\} \\d+");
            assertThat(sum(batchSizes, "tributary_batch_size_sum") / sum(batchSizes, "tributary_batch_size_count")).isGreaterThan(1.5);
        }
        assertThat(mixed).isEqualTo(alone);
        assertThat(alone.values().stream().distinct().count()).as("adapters give different completions").isGreaterThan(models.size());
        try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(world.model, manager);
             TextTokenizer tokenizer = TextTokenizer.forModel(world.model, model.config())) {
            for (int i = 0; i < models.size(); i++) {
                LoraAdapter lora = i < adapters.size()
                        ? LoraAdapter.load(Path.of(adapters.get(i).artifactPath()), model.config(), manager) : null;
                model.useAdapter(lora);
                for (int p = 0; p < PROMPTS.length; p++) {
                    String expected = Generator.generate(model, tokenizer, PROMPTS[p], MAX_TOKENS, 0, 0).text();
                    assertThat(alone.get(models.get(i) + "/" + p)).as(models.get(i) + " prompt " + p).isEqualTo(expected);
                }
                model.useAdapter(null);
                if (lora != null) {
                    lora.close();
                }
            }
        }
    }

    private static double sum(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(line.split(" ")[1]))
                .findFirst().orElseThrow();
    }

    private static HttpRequest request(InferenceServer server, ServingFixture world, String model, String prompt) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                .header("Authorization", "Bearer " + world.key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": "
                        + Json.MAPPER.valueToTree(prompt) + ", \"max_tokens\": " + MAX_TOKENS + ", \"temperature\": 0}")).build();
    }

    private static String text(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(response.body());
        return body.path("choices").get(0).path("text").asText();
    }
}
