package io.tributary.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.cli.Json;
import io.tributary.core.inference.InferenceRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client nobody here wrote: the official {@code openai} npm package (tools/package.json) drives the server from a
 * small Node script, streaming and not, completions and chat; its results must agree with each other and with the
 * inference log, and its error classes must match the statuses.
 */
class OpenAiClientTest {
    @TempDir
    Path root;

    static Path tools() {
        String configured = System.getenv("TRIBUTARY_TOOLS");
        if (configured != null && Files.isDirectory(Path.of(configured, "openai"))) {
            return Path.of(configured);
        }
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            if (Files.isDirectory(directory.resolve("tools/node_modules/openai"))) {
                return directory.resolve("tools/node_modules");
            }
        }
        throw new AssertionError("the openai npm package is not installed: run (cd tools && npm ci) or bin/tributary test");
    }

    @Test
    void theOfficialClientStreamsAndNotAndEveryCallIsLoggedOnce() throws Exception {
        ServingFixture world = new ServingFixture(root);
        List<String> models = List.of(world.addAdapters(2, "legal").get(0).adapterId(), "adapter-1", "base");
        JsonNode out;
        try (InferenceServer server = world.start("")) {
            Path script = Path.of("src/test/node/openai-client.cjs").toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder("node", script.toString(), server.baseUrl());
            builder.command().addAll(models);
            builder.environment().put("NODE_PATH", tools().toString());
            builder.environment().put("TRIBUTARY_API_KEY", world.key);
            builder.redirectError(root.resolve("node.err").toFile());
            Process process = builder.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(stdout + read(root.resolve("node.err"))).isZero();
            out = Json.MAPPER.readTree(stdout);
        }
        assertThat(out.path("models").toString()).contains(models.get(0)).contains("\"base\"");
        List<InferenceRecord> records = LogReader.records(world.logDirectory());
        // 4 billed calls per model; the three refused ones write nothing.
        assertThat(records).hasSize(4 * models.size());
        for (int i = 0; i < models.size(); i++) {
            JsonNode completion = out.path("completions").get(i);
            JsonNode stream = out.path("streams").get(i);
            assertThat(stream.path("text").asText()).isEqualTo(completion.path("text").asText());
            assertThat(stream.path("usage")).isEqualTo(completion.path("usage"));
            assertThat(stream.path("finish_reason").asText()).isEqualTo(completion.path("finish_reason").asText());
            assertThat(out.path("chatStreams").get(i).path("text").asText()).isEqualTo(out.path("chats").get(i).path("text").asText());
            for (JsonNode call : List.of(completion, stream, out.path("chats").get(i), out.path("chatStreams").get(i))) {
                String id = call.path("tributary").path("inference_id").asText();
                InferenceRecord record = records.stream().filter(r -> r.inferenceId().equals(id)).findFirst().orElseThrow();
                assertThat(record.completion()).isEqualTo(call.path("text").asText());
                assertThat(record.feeWei().toString()).isEqualTo(call.path("tributary").path("fee_wei").asText());
            }
        }
        assertThat(out.path("errors").path("unknownModel").path("status").asInt()).isEqualTo(404);
        assertThat(out.path("errors").path("unknownModel").path("type").asText()).isEqualTo("NotFoundError");
        assertThat(out.path("errors").path("badKey").path("status").asInt()).isEqualTo(401);
        assertThat(out.path("errors").path("badKey").path("type").asText()).isEqualTo("AuthenticationError");
        assertThat(out.path("errors").path("tooLong").path("status").asInt()).isEqualTo(400);
        assertThat(out.path("errors").path("tooLong").path("code").asText()).isEqualTo("context_length_exceeded");
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
