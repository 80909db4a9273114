package io.tributary.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * The chat template of {@code /v1/chat/completions} (Zephyr's, which TinyLlama's chat models use): every message as
 * {@code <|role|>\n content \n}, then {@code <|assistant|>\n} for the reply. Roles: system, user, assistant.
 * Content is a string, or an array of {@code {"type": "text", "text": ...}} parts that are joined.
 */
public final class ChatTemplate {
    public static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private ChatTemplate() {}

    /** A chat message. */
    public record Message(String role, String content) {}

    public static String render(List<Message> messages) {
        StringBuilder prompt = new StringBuilder();
        for (Message message : messages) {
            prompt.append("<|").append(message.role()).append("|>\n").append(message.content()).append('\n');
        }
        return prompt.append("<|assistant|>\n").toString();
    }

    /** Reads and checks the {@code messages} array of a request. */
    public static List<Message> messages(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiError.invalid("messages", "'messages' is required");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiError.invalid("messages", "'messages' must be a non-empty array of {role, content} objects");
        }
        List<Message> messages = new java.util.ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode message = node.get(i);
            String param = "messages[" + i + "]";
            if (!message.isObject()) {
                throw ApiError.invalid(param, param + " must be an object");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiError.invalid(param + ".role", param + ".role must be one of " + ROLES.stream().sorted().toList());
            }
            messages.add(new Message(role.asText(), content(message.get("content"), param + ".content")));
        }
        return messages;
    }

    private static String content(JsonNode content, String param) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiError.invalid(param, param + " parts must be {\"type\": \"text\", \"text\": ...}; other parts are not supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiError.invalid(param, param + " must be a string or an array of text parts");
    }
}
