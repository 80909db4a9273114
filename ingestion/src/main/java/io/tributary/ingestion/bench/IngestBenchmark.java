package io.tributary.ingestion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.crypto.ContributionSignature;
import io.tributary.core.crypto.KeyPair;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.ingestion.input.RawLineReader;
import io.tributary.ingestion.validate.ContributionValidator;
import io.tributary.ingestion.validate.LineVerdict;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Synthetic signed contributions for the ingestion benchmark, and the engine-free baseline it is
 * compared with: reading, parsing, hashing and signature recovery alone, on every core.
 */
public final class IngestBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IngestBenchmark() {}

    /** Writes {@code count} contributions of about {@code textBytes} bytes of real text into {@code files} files. */
    public static long generate(Path spdxFullJson, Path directory, DatanetId datanet, int count, int textBytes, int files)
            throws IOException {
        JsonNode licenses = MAPPER.readTree(spdxFullJson.toFile());
        StringBuilder corpus = new StringBuilder();
        licenses.elements().forEachRemaining(license -> corpus.append(license.get("licenseText").asText()).append('\n'));
        String text = corpus.toString();
        List<KeyPair> keys = IntStream.range(0, 64).mapToObj(i -> KeyPair.fromSeed("bench-contributor-" + i)).toList();
        Files.createDirectories(directory);
        List<String>[] perFile = new List[files];
        for (int f = 0; f < files; f++) {
            perFile[f] = new ArrayList<>();
        }
        String[] lines = new String[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            int start = (int) ((i * 7919L * 131L) % (text.length() - textBytes));
            String body = "contribution " + i + "\n" + text.substring(start, start + textBytes);
            KeyPair key = keys.get(i % keys.size());
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("contributor", key.address().value());
            record.put("text", body);
            record.put("license", "CC0-1.0");
            record.put("signature", ContributionSignature.sign(key, datanet, ContributionId.ofText(body), "CC0-1.0"));
            try {
                lines[i] = MAPPER.writeValueAsString(record);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long bytes = 0;
        for (int f = 0; f < files; f++) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(directory.resolve(String.format("part-%04d.jsonl", f))))) {
                for (int i = f; i < count; i += files) {
                    byte[] line = lines[i].getBytes(StandardCharsets.UTF_8);
                    out.write(line);
                    out.write('\n');
                    bytes += line.length + 1;
                }
            }
        }
        return bytes;
    }

    /** Validates every line of every file with one thread per core and no engine; returns lines accepted. */
    public static long validateOnly(Path directory, DatanetId datanet, int maxTextBytes) throws Exception {
        ContributionValidator validator = new ContributionValidator(datanet, true, maxTextBytes);
        List<Path> files;
        try (var stream = Files.list(directory)) {
            files = stream.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (Path file : files) {
                results.add(pool.submit(() -> {
                    long accepted = 0;
                    try (InputStream in = Files.newInputStream(file); RawLineReader reader = new RawLineReader(in)) {
                        for (byte[] line = reader.next(); line != null; line = reader.next()) {
                            if (validator.validate(line) instanceof LineVerdict.Accepted) {
                                accepted++;
                            }
                        }
                    }
                    return accepted;
                }));
            }
            long total = 0;
            for (Future<Long> result : results) {
                total += result.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
