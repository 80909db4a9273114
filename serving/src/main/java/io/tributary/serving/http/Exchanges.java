package io.tributary.serving.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reading bodies (bounded) and writing JSON and server-sent events on the JDK's HTTP exchanges. */
final class Exchanges {
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Exchanges() {}

    /** The request body as a JSON object; 413 past {@code limit} bytes, 400 when it is not one JSON object. */
    static JsonNode jsonBody(HttpExchange exchange, int limit) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > limit) {
            throw tooLarge(limit);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = exchange.getRequestBody()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                body.write(buffer, 0, read);
                if (body.size() > limit) {
                    throw tooLarge(limit);
                }
            }
        }
        JsonNode root;
        try {
            root = STRICT.readTree(body.toByteArray());
        } catch (IOException e) {
            String message = e.getMessage() == null ? "not JSON" : e.getMessage().split("\n")[0];
            throw new ApiError(400, "invalid_request_error", "invalid_json", null, "the body is not valid JSON: " + message);
        }
        if (root == null || !root.isObject()) {
            throw new ApiError(400, "invalid_request_error", "invalid_json", null, "the body must be a JSON object");
        }
        return root;
    }

    private static ApiError tooLarge(int limit) {
        return new ApiError(413, "invalid_request_error", "request_too_large", null,
                "the request body exceeds " + limit + " bytes (tributary.serving.max-body-bytes)");
    }

    static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sendError(HttpExchange exchange, ApiError error) {
        try {
            drain(exchange);
            sendJson(exchange, error.status(), error.json());
        } catch (IOException ignored) {
            // The client is gone; nothing was billed.
        } finally {
            exchange.close();
        }
    }

    /** Reads what is left of a body we refuse, so the connection can be reused (bounded: closed past 1 MiB). */
    private static void drain(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[8192];
            long total = 0;
            int read;
            while (total < (1 << 20) && (read = in.read(buffer)) >= 0) {
                total += read;
            }
        } catch (IOException alreadyClosed) {
            // The body was read (and closed) before the request was refused.
        }
    }

    static void startEvents(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
    }

    /** One server-sent event, flushed at once; throws when the client has gone away. */
    static void event(HttpExchange exchange, String data) throws IOException {
        OutputStream out = exchange.getResponseBody();
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
