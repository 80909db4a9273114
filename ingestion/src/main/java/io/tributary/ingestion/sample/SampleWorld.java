package io.tributary.ingestion.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The demo's sample world: a legal Datanet made of the SPDX license list's full texts, submitted by
 * generated contributors who really sign, with re-submissions, reformatted copies and a handful of bad
 * lines. Deterministic for a seed, so re-running the demo ingests nothing new.
 */
public final class SampleWorld {
    public static final DatanetId LEGAL = DatanetId.of("legal");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Random random;
    private final List<KeyPair> contributors = new ArrayList<>();
    private final KeyPair owner;
    private final Instant epoch = Instant.parse("2026-01-05T09:00:00Z");

    public SampleWorld(long seed, int contributorCount) {
        this.random = new Random(seed);
        for (int i = 0; i < contributorCount; i++) {
            contributors.add(KeyPair.fromSeed("tributary-sample-contributor-" + seed + "-" + i));
        }
        this.owner = KeyPair.fromSeed("tributary-sample-owner-" + seed + "-legal");
    }

    /** Writes the files under {@code out/legal} and returns what it wrote, for the demo to print. */
    public Map<String, Object> writeLegal(Path spdxFullJson, Path out) throws IOException {
        JsonNode licenses = MAPPER.readTree(spdxFullJson.toFile());
        List<String> ids = new ArrayList<>();
        licenses.fieldNames().forEachRemaining(ids::add);
        Collections.sort(ids);
        Collections.shuffle(ids, random);

        Path directory = out.resolve(LEGAL.value());
        Files.createDirectories(directory);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        int half = ids.size() / 2;
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String text = licenses.get(id).get("licenseText").asText();
            String line = line(pick(), text, "spdx:" + id, i);
            (i < half ? first : second).add(line);
            accepted.add(text);
        }
        int resubmitted = 0;
        for (int i = 0; i < 24; i++) {
            String text = accepted.get(random.nextInt(half));
            second.add(line(pick(), text, "resubmission", ids.size() + i));
            resubmitted++;
        }
        int reformatted = 0;
        for (int i = 0; i < 12; i++) {
            String text = accepted.get(random.nextInt(accepted.size()));
            String variant = i % 2 == 0 ? text.replaceAll("[ \\t]+", "  ") : text.toUpperCase(Locale.ROOT);
            second.add(line(pick(), variant, "reformatted copy", ids.size() + 100 + i));
            reformatted++;
        }
        Collections.shuffle(second, random);
        writeLines(directory.resolve("part-0001.jsonl"), first, false);
        writeLines(directory.resolve("part-0002.jsonl.gz"), second, true);
        byte[] bad = badLines();
        Files.write(directory.resolve("part-0003-bad-lines.jsonl"), bad);
        int badLines = 0;
        for (byte b : bad) {
            badLines += b == '\n' ? 1 : 0;
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("datanet", LEGAL.value());
        summary.put("owner", owner.address().value());
        summary.put("directory", directory.toString());
        summary.put("licenses", ids.size());
        summary.put("contributors", contributors.size());
        summary.put("resubmissions", resubmitted);
        summary.put("reformatted_copies", reformatted);
        summary.put("bad_lines", badLines);
        summary.put("lines", first.size() + second.size() + badLines);
        return summary;
    }

    private KeyPair pick() {
        return contributors.get(random.nextInt(contributors.size()));
    }

    private String line(KeyPair contributor, String text, String source, int sequence) {
        ContributionId id = ContributionId.ofText(text);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contributor", contributor.address().value());
        record.put("text", text);
        record.put("license", "CC0-1.0");
        record.put("signature", ContributionSignature.sign(contributor, LEGAL, id, "CC0-1.0"));
        record.put("source", source);
        record.put("submitted_at", epoch.plusSeconds(sequence * 37L).toString());
        try {
            return MAPPER.writeValueAsString(record);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line for each reason a line can be quarantined within an existing Datanet. */
    private byte[] badLines() throws IOException {
        KeyPair someone = contributors.get(0);
        KeyPair other = contributors.get(1);
        String text = "Permission to use this sample text is granted.";
        ContributionId id = ContributionId.ofText(text);
        String signature = ContributionSignature.sign(someone, LEGAL, id, "MIT");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeLine(out, "{\"contributor\": \"" + someone.address() + "\", \"text\": \"unterminated");
        writeLine(out, "{\"contributor\": \"" + someone.address() + "\", \"license\": \"MIT\", \"signature\": \"" + signature + "\"}");
        writeLine(out, json(Map.of("contributor", "0x1234", "text", text, "license", "MIT", "signature", signature)));
        writeLine(out, json(Map.of("contributor", someone.address().value(), "text", text, "license", "MIT",
                "signature", ContributionSignature.sign(other, LEGAL, id, "MIT"))));
        writeLine(out, json(Map.of("contributor", someone.address().value(), "text", "   ", "license", "MIT", "signature", signature)));
        String huge = "x".repeat(1024 * 1024 + 1);
        writeLine(out, json(Map.of("contributor", someone.address().value(), "text", huge, "license", "MIT",
                "signature", ContributionSignature.sign(someone, LEGAL, ContributionId.ofText(huge), "MIT"))));
        ByteArrayOutputStream invalid = new ByteArrayOutputStream();
        invalid.writeBytes(("{\"contributor\": \"" + someone.address() + "\", \"text\": \"caf").getBytes(StandardCharsets.UTF_8));
        invalid.write(0xC3);
        invalid.write(0x28);
        invalid.writeBytes(("\", \"license\": \"MIT\", \"signature\": \"" + signature + "\"}").getBytes(StandardCharsets.UTF_8));
        out.write(invalid.toByteArray());
        out.write('\n');
        writeLine(out, json(Map.of("contributor", someone.address().value(), "text", text, "license", "Not-A-License-1.0",
                "signature", signature)));
        return out.toByteArray();
    }

    private static String json(Map<String, Object> record) throws IOException {
        return MAPPER.writeValueAsString(new java.util.TreeMap<>(record));
    }

    private static void writeLine(ByteArrayOutputStream out, String line) {
        out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    private static void writeLines(Path file, List<String> lines, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            for (String line : lines) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
    }
}
