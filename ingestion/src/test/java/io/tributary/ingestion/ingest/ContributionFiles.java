package io.tributary.ingestion.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds JSON Lines input files line by line, signed for real, for ingestion tests. */
final class ContributionFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DatanetId datanet;

    ContributionFiles(DatanetId datanet) {
        this.datanet = datanet;
    }

    ContributionFiles signed(KeyPair contributor, String text) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contributor", contributor.address().value());
        record.put("text", text);
        record.put("license", "Apache-2.0");
        record.put("signature", ContributionSignature.sign(contributor, datanet, ContributionId.ofText(text), "Apache-2.0"));
        return json(record);
    }

    ContributionFiles json(Map<String, Object> record) {
        try {
            return raw(MAPPER.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ContributionFiles raw(String line) {
        return raw(line.getBytes(StandardCharsets.UTF_8));
    }

    ContributionFiles raw(byte[] line) {
        bytes.writeBytes(line);
        bytes.write('\n');
        return this;
    }

    Path write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (file.toString().endsWith(".gz")) {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                    out.write(bytes.toByteArray());
                }
            } else {
                Files.write(file, bytes.toByteArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
