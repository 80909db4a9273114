package io.tributary.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the independent NumPy forward pass (src/test/resources/llama_reference.py) with a Python that has NumPy. */
public final class NumpyReference {
    private static String python;

    private NumpyReference() {}

    /** Logits [T][vocab] in float64 from the reference program. */
    public static double[][] logits(Path model, Path adapter, int[] tokens) throws Exception {
        Path script = Files.createTempFile("llama_reference", ".py");
        try (InputStream in = NumpyReference.class.getResourceAsStream("/llama_reference.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        StringBuilder list = new StringBuilder();
        for (int token : tokens) {
            list.append(list.isEmpty() ? "" : ",").append(token);
        }
        List<String> command = List.of(python(), script.toString(), model.toString(),
                adapter == null ? "-" : adapter.toString(), list.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("reference failed: " + command);
        }
        Files.deleteIfExists(script);
        return new ObjectMapper().readValue(new String(out, StandardCharsets.UTF_8), double[][].class);
    }

    /** Debian's python3 (package python3-numpy) first, then whatever python3 is on the PATH. */
    static synchronized String python() throws IOException, InterruptedException {
        if (python != null) {
            return python;
        }
        List<String> tried = new ArrayList<>();
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            tried.add(candidate);
            try {
                Process process = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    python = candidate;
                    return python;
                }
            } catch (IOException ignored) {
                // not installed: try the next one
            }
        }
        throw new IllegalStateException("no python3 with numpy among " + tried + "; install Debian's python3-numpy");
    }
}
