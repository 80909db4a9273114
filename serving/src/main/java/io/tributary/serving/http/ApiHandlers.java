package io.tributary.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.core.cli.Json;
import io.tributary.core.hash.Hashing;
import io.tributary.core.inference.InferenceRecord;
import io.tributary.serving.Billing;
import io.tributary.serving.ServingContext;
import io.tributary.serving.adapters.AdapterCatalog;
import io.tributary.serving.adapters.ServedAdapter;
import io.tributary.serving.engine.GenerationEvent;
import io.tributary.serving.engine.GenerationRequest;
import io.tributary.serving.engine.SamplingParameters;
import io.tributary.serving.engine.SchedulerRefusal;
import io.tributary.serving.keys.ApiKey;
import io.tributary.serving.log.LogWriteException;
import io.tributary.serving.price.PriceBook;
import io.tributary.serving.price.QuotedPrice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: OpenAI's {@code /v1/completions}, {@code /v1/chat/completions} and {@code /v1/models}, vLLM's
 * {@code /v1/load_lora_adapter} and {@code /v1/unload_lora_adapter}, {@code /metrics} and {@code /health}. A
 * request is checked in this order: shutting down (503), key (401), body size (413), JSON and fields (400), model
 * (404), context (400), queue (429). Refused requests write no log record. An accepted one is answered 200 only
 * after its record is durable; when the log cannot take it, the answer is 500 and nothing is billed.
 */
public final class ApiHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandlers.class);
    private static final String BASE_ALIAS = "base";

    private final ServingContext context;

    public ApiHandlers(ServingContext context) {
        this.context = context;
    }

    public void register(HttpServer server) {
        server.createContext("/v1/completions", exchange -> guarded(exchange, "POST", () -> completion(exchange, false)));
        server.createContext("/v1/chat/completions", exchange -> guarded(exchange, "POST", () -> completion(exchange, true)));
        server.createContext("/v1/models", exchange -> guarded(exchange, "GET", () -> models(exchange)));
        server.createContext("/v1/load_lora_adapter", exchange -> guarded(exchange, "POST", () -> loadAdapter(exchange)));
        server.createContext("/v1/unload_lora_adapter", exchange -> guarded(exchange, "POST", () -> unloadAdapter(exchange)));
        server.createContext("/metrics", exchange -> guarded(exchange, "GET", () -> metrics(exchange)));
        server.createContext("/health", exchange -> guarded(exchange, "GET", () -> health(exchange)));
        server.createContext("/", exchange -> Exchanges.sendError(exchange, new ApiError(404, "invalid_request_error",
                "unknown_url", null, "no endpoint " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath())));
    }

    private interface Body {
        void run() throws IOException;
    }

    private void guarded(HttpExchange exchange, String method, Body body) {
        try {
            if (!exchange.getRequestMethod().equals(method)) {
                throw new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                        exchange.getRequestURI().getPath() + " takes " + method + ", not " + exchange.getRequestMethod());
            }
            body.run();
        } catch (ApiError e) {
            Exchanges.sendError(exchange, e);
        } catch (IOException e) {
            LOG.debug("client connection failed: {}", e.getMessage());
            exchange.close();
        } catch (RuntimeException e) {
            LOG.error("request to {} failed", exchange.getRequestURI().getPath(), e);
            Exchanges.sendError(exchange, new ApiError(500, "server_error", "internal_error", null,
                    "the server failed on this request: " + e.getClass().getSimpleName()));
        }
    }

    // ---- completions ----------------------------------------------------------------------------------------------

    /** What a request asked for, once checked. */
    private record Accepted(String inferenceId, String model, ServedAdapter adapter, ApiKey key, QuotedPrice price,
                            GenerationRequest request, boolean chat, boolean stream, boolean includeUsage, long created) {}

    private void completion(HttpExchange exchange, boolean chat) throws IOException {
        long arrived = System.nanoTime();
        if (!context.scheduler().accepting()) {
            throw shuttingDown();
        }
        ApiKey key = authenticate(exchange);
        JsonNode body = Exchanges.jsonBody(exchange, context.settings().maxBodyBytes());
        JsonNode modelNode = body.get("model");
        if (modelNode == null || modelNode.isNull()) {
            throw ApiError.invalid("model", "'model' is required: the base model, or an adapter's id or name (GET /v1/models)");
        }
        if (!modelNode.isTextual()) {
            throw ApiError.invalid("model", "'model' must be a string");
        }
        String model = modelNode.asText();
        String promptText = chat ? ChatTemplate.render(ChatTemplate.messages(body.get("messages"))) : prompt(body.get("prompt"));
        GenerationParameters parameters = GenerationParameters.read(body);
        ServedAdapter adapter = body.hasNonNull("merged_adapters") ? mergedAdapters(body.get("merged_adapters"))
                : model.contains("+") ? merge(model) : resolve(model);
        int[] prompt = tokens(promptText);
        int window = context.config().maxPositionEmbeddings();
        int maxTokens = parameters.maxTokens() != null ? parameters.maxTokens()
                : Math.min(context.settings().defaultMaxTokens(), window - prompt.length);
        if (prompt.length + maxTokens > window || maxTokens < 1) {
            throw new ApiError(400, "invalid_request_error", "context_length_exceeded", parameters.maxTokens() != null ? "max_tokens" : (chat ? "messages" : "prompt"),
                    "this model's context is " + window + " tokens; the prompt has " + prompt.length + " and max_tokens is "
                            + maxTokens + " (" + (prompt.length + maxTokens) + " in all)");
        }
        String inferenceId = context.ids().next();
        long seed = parameters.seed().orElseGet(() -> seedOf(inferenceId));
        QuotedPrice price = context.prices().at(adapter == null ? PriceBook.BASE_MODEL : adapter.adapterId(), Instant.now());
        GenerationRequest request = new GenerationRequest(prompt, adapter,
                new SamplingParameters(maxTokens, parameters.temperature(), parameters.topP(), seed, parameters.stop()), arrived);
        try {
            context.scheduler().submit(request);
        } catch (SchedulerRefusal refusal) {
            throw refusal.reason() == SchedulerRefusal.Reason.QUEUE_FULL
                    ? new ApiError(429, "server_overloaded", "queue_full", null, refusal.getMessage())
                    : shuttingDown();
        }
        Accepted accepted = new Accepted(inferenceId, model, adapter, key, price, request, chat, parameters.stream(),
                parameters.includeUsage(), Instant.now().getEpochSecond());
        if (parameters.stream()) {
            stream(exchange, accepted);
        } else {
            respond(exchange, accepted);
        }
    }

    /** A seed when the request gives none: derived from the inference id, so a rerun of the log can replay it. */
    private static long seedOf(String inferenceId) {
        return Long.parseUnsignedLong(Hashing.sha256Hex(inferenceId).substring(0, 15), 16);
    }

    private static String prompt(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiError.invalid("prompt", "'prompt' is required");
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray() && node.size() == 1 && node.get(0).isTextual()) {
            return node.get(0).asText();
        }
        throw ApiError.invalid("prompt", "'prompt' must be a string (or an array of exactly one string)");
    }

    private int[] tokens(String text) {
        return io.tributary.model.batch.Generator.promptIds(context.tokenizer(), text);
    }

    /** The adapter a model name means, null for the base model; 404 when it means nothing servable. */
    private ServedAdapter resolve(String model) {
        if (model.equals(context.baseModelName()) || model.equals(BASE_ALIAS)) {
            return null;
        }
        AdapterCatalog.Lookup lookup = context.catalog().find(model);
        if (lookup instanceof AdapterCatalog.Lookup.Found found) {
            return found.adapter();
        }
        throw new ApiError(404, "invalid_request_error", "model_not_found", "model", ((AdapterCatalog.Lookup.Missing) lookup).reason());
    }

    /**
     * {@code "a+b"} or {@code "a:0.7+b:0.3"}: a linear merge of registered adapters (weights default to equal shares
     * summing to 1). The parts must come from one Datanet: the inference record bills one adapter, the heaviest.
     */
    private ServedAdapter merge(String model) {
        List<String> names = new java.util.ArrayList<>();
        List<Double> weights = new java.util.ArrayList<>();
        for (String part : model.split("\\+", -1)) {
            int colon = part.lastIndexOf(':');
            if (colon > 0) {
                try {
                    weights.add(Double.parseDouble(part.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    throw ApiError.invalid("model", "the weight in '" + part + "' is not a number");
                }
                names.add(part.substring(0, colon));
            } else {
                names.add(part);
                weights.add(null);
            }
        }
        return mergeOf(names, weights, "model");
    }

    /** LoRAX's {@code merged_adapters}: {@code {"ids": [...], "weights": [...], "merge_strategy": "linear"}}. */
    private ServedAdapter mergedAdapters(JsonNode node) {
        if (!node.isObject() || !node.path("ids").isArray()) {
            throw ApiError.invalid("merged_adapters", "'merged_adapters' must be {\"ids\": [...], \"weights\": [...], \"merge_strategy\": \"linear\"}");
        }
        String strategy = node.path("merge_strategy").asText("linear");
        if (!strategy.equals("linear")) {
            throw ApiError.invalid("merged_adapters", "merge_strategy '" + strategy + "' is not served; only \"linear\" (exact, low-rank)");
        }
        List<String> names = new java.util.ArrayList<>();
        node.path("ids").forEach(id -> names.add(id.asText()));
        List<Double> weights = new java.util.ArrayList<>();
        JsonNode given = node.path("weights");
        for (int i = 0; i < names.size(); i++) {
            if (given.isArray() && given.size() != names.size()) {
                throw ApiError.invalid("merged_adapters", "'weights' must have one number per id");
            }
            weights.add(given.isArray() ? given.get(i).asDouble() : null);
        }
        return mergeOf(names, weights, "merged_adapters");
    }

    private ServedAdapter mergeOf(List<String> names, List<Double> weights, String param) {
        if (names.size() < 2 || names.stream().anyMatch(String::isEmpty)) {
            throw ApiError.invalid(param, "a merge names at least two adapters");
        }
        List<ServedAdapter.MergePart> parts = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ServedAdapter adapter = resolve(names.get(i));
            if (adapter == null) {
                throw ApiError.invalid(param, "the base model cannot be part of a merge");
            }
            double weight = weights.get(i) == null ? 1.0 / names.size() : weights.get(i);
            if (!Double.isFinite(weight)) {
                throw ApiError.invalid(param, "merge weights must be finite numbers");
            }
            parts.add(new ServedAdapter.MergePart(adapter, weight));
        }
        if (parts.stream().map(part -> part.adapter().datanet()).distinct().count() > 1) {
            throw ApiError.invalid(param, "merged adapters must come from one Datanet (an inference is billed to one adapter's Datanet)");
        }
        return ServedAdapter.merge(parts);
    }

    private void respond(HttpExchange exchange, Accepted accepted) throws IOException {
        GenerationEvent.Finished finished = null;
        while (finished == null) {
            GenerationEvent event = next(accepted.request());
            if (event instanceof GenerationEvent.Failed failed) {
                throw new ApiError(failed.status(), "server_error", failed.code(), null, failed.message());
            }
            if (event instanceof GenerationEvent.Finished done) {
                finished = done;
            }
        }
        if (!Billing.billable(finished)) {
            throw shuttingDown();  // stopped before a token was generated: nothing to bill
        }
        InferenceRecord record = bill(accepted, finished);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", (accepted.chat() ? "chatcmpl-" : "cmpl-") + accepted.inferenceId());
        root.put("object", accepted.chat() ? "chat.completion" : "text_completion");
        root.put("created", accepted.created());
        root.put("model", accepted.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (accepted.chat()) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", finished.text());
        } else {
            choice.put("text", finished.text());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finished.finishReason());
        usage(root.putObject("usage"), finished);
        tributary(root.putObject("tributary"), record);
        Exchanges.sendJson(exchange, 200, root.toString());
        context.metrics().request(accepted.adapter() == null ? "" : accepted.adapter().adapterId(), 200);
    }

    private void stream(HttpExchange exchange, Accepted accepted) throws IOException {
        GenerationEvent first = next(accepted.request());
        if (first instanceof GenerationEvent.Failed failed) {
            throw new ApiError(failed.status(), "server_error", failed.code(), null, failed.message());
        }
        boolean open = true;
        try {
            Exchanges.startEvents(exchange);
            if (accepted.chat()) {
                ObjectNode delta = Json.MAPPER.createObjectNode();
                delta.put("role", "assistant");
                delta.put("content", "");
                Exchanges.event(exchange, chunk(accepted, delta, null).toString());
            }
        } catch (IOException e) {
            open = false;
            accepted.request().cancel();
        }
        GenerationEvent event = first;
        while (true) {
            if (event instanceof GenerationEvent.Text text && open) {
                try {
                    ObjectNode delta = Json.MAPPER.createObjectNode();
                    delta.put(accepted.chat() ? "content" : "text", text.delta());
                    Exchanges.event(exchange, chunk(accepted, delta, null).toString());
                } catch (IOException e) {
                    // The client went away: stop generating; what was generated is billed as cancelled.
                    open = false;
                    accepted.request().cancel();
                }
            } else if (event instanceof GenerationEvent.Failed failed) {
                if (open) {
                    sendQuietly(exchange, new ApiError(failed.status(), "server_error", failed.code(), null, failed.message()).json());
                }
                break;
            } else if (event instanceof GenerationEvent.Finished finished) {
                finishStream(exchange, accepted, finished, open);
                break;
            }
            event = next(accepted.request());
        }
        exchange.close();
    }

    private void finishStream(HttpExchange exchange, Accepted accepted, GenerationEvent.Finished finished, boolean open) {
        if (!Billing.billable(finished)) {
            return;
        }
        InferenceRecord record;
        try {
            record = bill(accepted, finished);
        } catch (ApiError e) {
            if (open) {
                sendQuietly(exchange, e.json());
            }
            return;
        }
        context.metrics().request(accepted.adapter() == null ? "" : accepted.adapter().adapterId(), open ? 200 : 499);
        if (!open) {
            return;
        }
        ObjectNode last = chunk(accepted, Json.MAPPER.createObjectNode(), finished.finishReason());
        tributary(last.putObject("tributary"), record);
        try {
            Exchanges.event(exchange, last.toString());
            if (accepted.includeUsage()) {
                ObjectNode usage = chunk(accepted, null, null);
                usage.putArray("choices");
                usage(usage.putObject("usage"), finished);
                Exchanges.event(exchange, usage.toString());
            }
            Exchanges.event(exchange, "[DONE]");
        } catch (IOException e) {
            LOG.debug("client left before the end of stream {}", accepted.inferenceId());
        }
    }

    private static void sendQuietly(HttpExchange exchange, String json) {
        try {
            Exchanges.event(exchange, json);
        } catch (IOException ignored) {
            // The client is gone.
        }
    }

    private ObjectNode chunk(Accepted accepted, ObjectNode delta, String finishReason) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", (accepted.chat() ? "chatcmpl-" : "cmpl-") + accepted.inferenceId());
        root.put("object", accepted.chat() ? "chat.completion.chunk" : "text_completion");
        root.put("created", accepted.created());
        root.put("model", accepted.model());
        if (delta != null) {
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
            if (accepted.chat()) {
                choice.set("delta", delta);
            } else {
                choice.put("text", delta.path("text").asText(""));
            }
            choice.putNull("logprobs");
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
        }
        return root;
    }

    private GenerationEvent next(GenerationRequest request) {
        try {
            GenerationEvent event;
            do {
                event = request.next(1000);
            } while (event == null);
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel();
            throw shuttingDown();
        }
    }

    /** Writes the record durably, or answers 500 without billing when the log cannot take it. */
    private InferenceRecord bill(Accepted accepted, GenerationEvent.Finished finished) {
        Instant servedAt = Instant.now();
        InferenceRecord record = context.billing().record(accepted.inferenceId(), servedAt, accepted.adapter(),
                accepted.key().account(), accepted.key().keyId(), finished, accepted.price());
        try {
            context.log().append(record);
        } catch (LogWriteException e) {
            LOG.error("inference {} not logged, answered 500 and not billed: {}", accepted.inferenceId(), e.getMessage());
            context.metrics().logFailure();
            throw new ApiError(500, "server_error", "inference_log_unavailable", null,
                    "the inference could not be recorded, so it is not billed; retry later");
        }
        double firstToken = finished.firstTokenNanos() < 0 ? -1
                : (finished.firstTokenNanos() - accepted.request().arrivedNanos()) / 1e9;
        context.metrics().billed(record.adapterId(), record.promptTokens(), record.completionTokens(), record.feeWei(),
                firstToken, (System.nanoTime() - accepted.request().arrivedNanos()) / 1e9);
        return record;
    }

    private static void usage(ObjectNode usage, GenerationEvent.Finished finished) {
        usage.put("prompt_tokens", finished.promptTokens());
        usage.put("completion_tokens", finished.completionTokens());
        usage.put("total_tokens", finished.promptTokens() + finished.completionTokens());
    }

    private static void tributary(ObjectNode node, InferenceRecord record) {
        node.put("inference_id", record.inferenceId());
        node.put("adapter_id", record.adapterId());
        node.put("fee_wei", record.feeWei().toString());
        node.put("price_version", record.priceVersion());
    }

    // ---- keys ------------------------------------------------------------------------------------------------------

    private ApiKey authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiError(401, "invalid_request_error", "missing_api_key", null,
                    "no API key given: send 'Authorization: Bearer <key>' (tributary keys create makes one)");
        }
        String secret = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        Optional<ApiKey> key = context.keys().authenticate(secret);
        if (key.isEmpty()) {
            throw new ApiError(401, "invalid_request_error", "invalid_api_key", null, "the API key is not valid (unknown or revoked)");
        }
        return key.get();
    }

    private static ApiError shuttingDown() {
        return new ApiError(503, "server_error", "server_shutting_down", null, "the server is shutting down; retry on another replica");
    }

    // ---- models, adapters, metrics, health -----------------------------------------------------------------------------

    private void models(HttpExchange exchange) throws IOException {
        authenticate(exchange);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        ObjectNode base = data.addObject();
        base.put("id", context.baseModelName());
        base.put("object", "model");
        base.put("created", 0);
        base.put("owned_by", "tributary");
        ObjectNode baseInfo = base.putObject("tributary");
        baseInfo.put("kind", "base");
        baseInfo.put("base_model_sha256", context.baseModelSha256());
        baseInfo.put("context_length", context.config().maxPositionEmbeddings());
        price(baseInfo, context.prices().at(PriceBook.BASE_MODEL, Instant.now()));
        for (ServedAdapter adapter : context.catalog().all()) {
            ObjectNode model = data.addObject();
            model.put("id", adapter.adapterId());
            model.put("object", "model");
            model.put("created", adapter.createdAt().getEpochSecond());
            model.put("owned_by", adapter.creator().isEmpty() ? "tributary" : adapter.creator());
            model.put("root", context.baseModelName());
            model.put("parent", context.baseModelName());
            ObjectNode info = model.putObject("tributary");
            info.put("kind", "adapter");
            info.put("name", adapter.name());
            info.put("datanet", adapter.datanet());
            info.put("datanet_version", adapter.datanetVersion());
            info.put("creator", adapter.creator());
            info.put("adapter_sha256", adapter.adapterSha256());
            info.put("rank", adapter.rank());
            info.put("resident", context.cache().isOnDevice(adapter.adapterId()));
            price(info, context.prices().at(adapter.adapterId(), Instant.now()));
        }
        Exchanges.sendJson(exchange, 200, root.toString());
    }

    private static void price(ObjectNode node, QuotedPrice price) {
        ObjectNode out = node.putObject("price");
        out.put("prompt_wei_per_1k", price.price().promptWeiPer1k().toString());
        out.put("completion_wei_per_1k", price.price().completionWeiPer1k().toString());
        out.put("price_version", price.version());
    }

    private void loadAdapter(HttpExchange exchange) throws IOException {
        authenticate(exchange);
        requireRuntimeLoading();
        JsonNode body = Exchanges.jsonBody(exchange, context.settings().maxBodyBytes());
        String name = text(body, "lora_name");
        String path = text(body, "lora_path");
        if (!io.tributary.lake.kernel.adapters.AdapterRecord.NAME.matcher(name).matches()) {
            throw ApiError.invalid("lora_name", "'lora_name' must match " + io.tributary.lake.kernel.adapters.AdapterRecord.NAME.pattern());
        }
        Path directory = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(directory.resolve("adapter_config.json")) || !Files.isRegularFile(directory.resolve("adapter_model.safetensors"))) {
            throw ApiError.invalid("lora_path", "'lora_path' must be a PEFT adapter directory (adapter_config.json, adapter_model.safetensors)");
        }
        context.catalog().refresh();
        ServedAdapter adapter = context.catalog().byDirectory(directory).orElseGet(() -> {
            String sha = io.tributary.model.lora.AdapterFingerprint.sha256(directory);
            return context.catalog().all().stream().filter(a -> a.adapterSha256().equals(sha)).findFirst()
                    .orElseThrow(() -> new ApiError(404, "invalid_request_error", "adapter_not_registered", "lora_path",
                            "the adapter at " + directory + " is not registered for this base model; register it (tributary train lora) "
                                    + "so its inferences can pay its Datanet"));
        });
        context.catalog().alias(name, adapter.adapterId());
        try {
            context.cache().pin(adapter).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            context.catalog().unalias(name);
            throw new ApiError(500, "server_error", "adapter_load_failed", "lora_path", "cannot load the adapter: " + e.getMessage());
        }
        Exchanges.sendJson(exchange, 200, Json.MAPPER.createObjectNode().put("status", "loaded").put("lora_name", name)
                .put("adapter_id", adapter.adapterId()).toString());
    }

    private void unloadAdapter(HttpExchange exchange) throws IOException {
        authenticate(exchange);
        requireRuntimeLoading();
        JsonNode body = Exchanges.jsonBody(exchange, context.settings().maxBodyBytes());
        String name = text(body, "lora_name");
        String adapterId = context.catalog().unalias(name).orElseThrow(() -> new ApiError(404, "invalid_request_error",
                "model_not_found", "lora_name", "no adapter was loaded as '" + name + "'"));
        context.cache().unpin(adapterId);
        Exchanges.sendJson(exchange, 200, Json.MAPPER.createObjectNode().put("status", "unloaded").put("lora_name", name)
                .put("adapter_id", adapterId).toString());
    }

    private void requireRuntimeLoading() {
        if (!context.settings().runtimeAdapterLoading()) {
            throw new ApiError(404, "invalid_request_error", "not_enabled", null,
                    "runtime adapter loading is off (tributary.serving.runtime-adapter-loading)");
        }
    }

    private static String text(JsonNode body, String name) {
        JsonNode node = body.get(name);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw ApiError.invalid(name, "'" + name + "' is required and must be a string");
        }
        return node.asText();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        context.metrics().queue(context.scheduler().queueDepth(), -1);
        context.metrics().write(out);
        exchange.getResponseHeaders().set("Content-Type", context.metrics().contentType());
        exchange.sendResponseHeaders(200, out.size());
        try (var body = exchange.getResponseBody()) {
            out.writeTo(body);
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        boolean up = context.scheduler().accepting();
        Exchanges.sendJson(exchange, up ? 200 : 503, Json.MAPPER.createObjectNode().put("status", up ? "ok" : "shutting_down")
                .put("adapters", context.catalog().size()).toString());
    }

    static List<String> endpoints() {
        return List.of("/v1/completions", "/v1/chat/completions", "/v1/models", "/v1/load_lora_adapter",
                "/v1/unload_lora_adapter", "/metrics", "/health");
    }
}
