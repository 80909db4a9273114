package io.tributary.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** The sampling fields of a completion request, type-checked one by one (a wrong type names its field). */
public record GenerationParameters(Integer maxTokens, double temperature, double topP, OptionalLong seed, List<String> stop,
                                   boolean stream, boolean includeUsage) {

    public static GenerationParameters read(JsonNode body) {
        Integer maxTokens = null;
        JsonNode max = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        String maxName = body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || !max.canConvertToInt() || max.asInt() < 1) {
                throw ApiError.invalid(maxName, "'" + maxName + "' must be an integer >= 1");
            }
            maxTokens = max.asInt();
        }
        double temperature = number(body, "temperature", 1.0, 0, 2);
        double topP = number(body, "top_p", 1.0, 0, 1);
        if (topP <= 0) {
            throw ApiError.invalid("top_p", "'top_p' must be greater than 0 and at most 1");
        }
        OptionalLong seed = OptionalLong.empty();
        JsonNode seedNode = body.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                throw ApiError.invalid("seed", "'seed' must be an integer");
            }
            seed = OptionalLong.of(seedNode.asLong());
        }
        List<String> stop = new ArrayList<>();
        JsonNode stopNode = body.get("stop");
        if (stopNode != null && !stopNode.isNull()) {
            if (stopNode.isTextual()) {
                stop.add(stopNode.asText());
            } else if (stopNode.isArray() && stopNode.size() <= 4) {
                for (JsonNode item : stopNode) {
                    if (!item.isTextual()) {
                        throw ApiError.invalid("stop", "'stop' must be a string or an array of up to 4 strings");
                    }
                    stop.add(item.asText());
                }
            } else {
                throw ApiError.invalid("stop", "'stop' must be a string or an array of up to 4 strings");
            }
            if (stop.stream().anyMatch(String::isEmpty)) {
                throw ApiError.invalid("stop", "stop sequences must not be empty");
            }
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.asInt() != 1)) {
            throw ApiError.invalid("n", "only n = 1 is supported");
        }
        boolean stream = flag(body, "stream");
        boolean includeUsage = false;
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiError.invalid("stream_options", "'stream_options' must be an object");
            }
            includeUsage = flag(options, "include_usage");
        }
        return new GenerationParameters(maxTokens, temperature, topP, seed, stop, stream, includeUsage);
    }

    private static double number(JsonNode body, String name, double fallback, double min, double max) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
            throw ApiError.invalid(name, "'" + name + "' must be a number from " + min + " to " + max);
        }
        return node.asDouble();
    }

    private static boolean flag(JsonNode body, String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiError.invalid(name, "'" + name + "' must be a boolean");
        }
        return node.asBoolean();
    }
}
