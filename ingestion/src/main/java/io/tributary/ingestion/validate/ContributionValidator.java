package io.tributary.ingestion.validate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tributary.core.crypto.Address;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.hash.Hex;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.license.SpdxLicenses;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Validates one JSON Lines record of a contribution, from its raw bytes, and hashes its text.
 * Pure Java and serializable, so Spark tasks run it and unit tests need no engine.
 */
public final class ContributionValidator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final DatanetId datanet;
    private final boolean datanetExists;
    private final int maxTextBytes;

    public ContributionValidator(DatanetId datanet, boolean datanetExists, int maxTextBytes) {
        this.datanet = datanet;
        this.datanetExists = datanetExists;
        this.maxTextBytes = maxTextBytes;
    }

    public LineVerdict validate(byte[] raw) {
        if (!datanetExists) {
            return reject(QuarantineReason.UNKNOWN_DATANET, "no Datanet '" + datanet + "'; create it with `datanet create`");
        }
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            return reject(QuarantineReason.INVALID_UTF8, "the line is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return reject(QuarantineReason.MALFORMED_JSON, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return reject(QuarantineReason.MALFORMED_JSON, firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            return reject(QuarantineReason.MALFORMED_JSON, "a line must hold one JSON object");
        }
        for (String field : new String[] {"contributor", "text", "license", "signature"}) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return reject(QuarantineReason.MISSING_FIELD, "missing field '" + field + "'");
            }
            if (!value.isTextual()) {
                return reject(QuarantineReason.MISSING_FIELD, "field '" + field + "' must be a string, not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
            }
        }
        String source = null;
        JsonNode sourceNode = node.get("source");
        if (sourceNode != null && !sourceNode.isNull()) {
            if (!sourceNode.isTextual()) {
                return reject(QuarantineReason.MALFORMED_JSON, "field 'source' must be a string");
            }
            source = sourceNode.textValue();
        }
        Instant submittedAt = null;
        JsonNode submittedNode = node.get("submitted_at");
        if (submittedNode != null && !submittedNode.isNull()) {
            if (!submittedNode.isTextual()) {
                return reject(QuarantineReason.MALFORMED_JSON, "field 'submitted_at' must be an ISO-8601 string");
            }
            try {
                submittedAt = parseInstant(submittedNode.textValue());
            } catch (DateTimeParseException e) {
                return reject(QuarantineReason.MALFORMED_JSON, "field 'submitted_at' is not ISO-8601: " + submittedNode.textValue());
            }
        }
        String text = node.get("text").textValue();
        if (hasUnpairedSurrogate(text) || (source != null && hasUnpairedSurrogate(source))) {
            return reject(QuarantineReason.INVALID_UTF8, "a string holds an unpaired UTF-16 surrogate escape");
        }
        String contributorText = node.get("contributor").textValue();
        if (!Address.isValid(contributorText)) {
            return reject(QuarantineReason.BAD_ADDRESS, "contributor is not a 0x-prefixed 20-byte hex address");
        }
        Address contributor = Address.of(contributorText);
        if (text.isBlank()) {
            return reject(QuarantineReason.EMPTY_TEXT, "text is empty or only whitespace");
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > maxTextBytes) {
            return reject(QuarantineReason.TEXT_TOO_LARGE, "text has " + utf8.length + " bytes of UTF-8; the limit is " + maxTextBytes);
        }
        String license = node.get("license").textValue();
        if (!SpdxLicenses.isKnown(license)) {
            return reject(QuarantineReason.BAD_LICENSE, "'" + abbreviate(license) + "' is not an SPDX license id");
        }
        String signature = node.get("signature").textValue();
        if (!signature.startsWith("0x") || signature.length() != 132 || !Hex.isHex(signature.substring(2))) {
            return reject(QuarantineReason.BAD_SIGNATURE, "signature must be 0x followed by 65 bytes of hex");
        }
        ContributionId id = ContributionId.ofUtf8(utf8);
        if (!ContributionSignature.verify(contributor, datanet, id, license, signature)) {
            return reject(QuarantineReason.BAD_SIGNATURE, "signature does not recover to " + contributor
                    + " over the v2 message of datanet " + datanet.value() + ", contribution " + id.hex() + ", license " + license);
        }
        return new LineVerdict.Accepted(id.hex(), contributor.value(), signature.toLowerCase(Locale.ROOT),
                license, source, submittedAt, text, utf8.length);
    }

    private static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            return Instant.parse(text);
        }
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static LineVerdict.Rejected reject(QuarantineReason reason, String detail) {
        return new LineVerdict.Rejected(reason, detail);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not JSON";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 117) + "...";
    }
}
