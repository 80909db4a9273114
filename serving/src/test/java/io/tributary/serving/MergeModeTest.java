package io.tributary.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merge mode: when one adapter dominates the recent traffic, the server folds it into a copy of the base weights it
 * touches and runs its requests there; their greedy completions stay what the adapter gives unmerged, other adapters
 * keep running beside it, and the records still bill the adapter.
 */
class MergeModeTest {
    @TempDir
    Path root;

    @Test
    void aDominantAdapterIsMergedAndStillGivesItsCompletions() throws Exception {
        ServingFixture world = new ServingFixture(root);
        List<AdapterRecord> adapters = world.addAdapters(2, "legal");
        AdapterRecord hot = adapters.get(0);
        List<String> prompts = List.of("The Licensor hereby grants", "Subject to the terms", "You may reproduce", "Each Contributor",
                "Derivative Works", "NOTICE file");
        HttpClient client = HttpClient.newHttpClient();
        try (InferenceServer server = world.start(
                "tributary.serving.merge { mode = \"auto\", traffic-share = 0.6, window-requests = 6, min-active = 1 }")) {
            List<CompletableFuture<HttpResponse<String>>> warmup = new ArrayList<>();
            for (String prompt : prompts) {
                warmup.add(client.sendAsync(request(server, world, hot.adapterId(), prompt, 40), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> future : warmup) {
                assertThat(future.get().statusCode()).isEqualTo(200);
            }
            String label = hot.adapterId().substring(0, 16);
            await().atMost(Duration.ofSeconds(60)).until(() -> metrics(client, server).contains("tributary_merged_adapter{adapter=\"" + label + "\"} 1.0"));
            List<String> merged = new ArrayList<>();
            for (String prompt : prompts) {
                HttpResponse<String> response = client.send(request(server, world, hot.adapterId(), prompt, 16), HttpResponse.BodyHandlers.ofString());
                JsonNode body = Json.MAPPER.readTree(response.body());
                merged.add(body.path("choices").get(0).path("text").asText());
                assertThat(LogReader.records(world.logDirectory()).stream()
                        .filter(r -> r.inferenceId().equals(body.path("tributary").path("inference_id").asText())).findFirst().orElseThrow()
                        .adapterId()).isEqualTo(hot.adapterId());
            }
            HttpResponse<String> other = client.send(request(server, world, adapters.get(1).adapterId(), prompts.get(0), 16),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(200);
            try (NDManager manager = NDManager.newBaseManager(); LlamaModel model = LlamaModel.load(world.model, manager);
                 TextTokenizer tokenizer = TextTokenizer.forModel(world.model, model.config());
                 LoraAdapter lora = LoraAdapter.load(Path.of(hot.artifactPath()), model.config(), manager)) {
                model.useAdapter(lora);
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(merged.get(i)).as(prompts.get(i)).isEqualTo(Generator.generate(model, tokenizer, prompts.get(i), 16, 0, 0).text());
                }
            }
        }
    }

    private static String metrics(HttpClient client, InferenceServer server) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpRequest request(InferenceServer server, ServingFixture world, String model, String prompt, int maxTokens) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                .header("Authorization", "Bearer " + world.key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": " + Json.MAPPER.valueToTree(prompt)
                        + ", \"max_tokens\": " + maxTokens + ", \"temperature\": 0}")).build();
    }
}
