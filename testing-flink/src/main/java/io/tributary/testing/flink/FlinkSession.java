package io.tributary.testing.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Flink session cluster started in its own JVM (only Flink's runtime and a Hadoop client on its classpath, as a
 * standalone cluster with HADOOP_CLASSPATH has), and the REST calls the web UI makes to run a job jar on it:
 * {@code POST /jars/upload}, {@code POST /jars/<id>/run}, {@code GET /jobs/<id>}.
 */
public final class FlinkSession implements AutoCloseable {
    /** Job states after which a job does nothing more. */
    public static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "FAILED", "CANCELED");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The JVM options a Flink 2.x distribution starts its processes with ({@code env.java.default-opts.all} in its
     * {@code conf/config.yaml}): Flink's serializers and translators reflect into these JDK packages.
     */
    static final List<String> DISTRIBUTION_JVM_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Process process;
    private final URI restAddress;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private FlinkSession(Process process, URI restAddress, Path log) {
        this.process = process;
        this.restAddress = restAddress;
        this.log = log;
    }

    /** Starts the cluster JVM with {@code slots} task slots; returns once its REST endpoint answers. */
    public static FlinkSession start(Path workDirectory, int slots) throws IOException {
        return start(workDirectory, slots, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with {@code environment} added to the cluster's (a job's main runs in the
     * JobManager under a REST submission, so its profile's {@code ${?VAR}} values come from there).
     */
    public static FlinkSession start(Path workDirectory, int slots, Map<String, String> environment) throws IOException {
        Files.createDirectories(workDirectory);
        Path log = workDirectory.resolve("flink-session.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                // Blobs, uploaded jars' extraction and the job's local copies stay in the test's directory.
                "-Djava.io.tmpdir=" + Files.createDirectories(workDirectory.resolve("tmp")).toAbsolutePath()));
        command.addAll(DISTRIBUTION_JVM_OPTIONS);
        command.addAll(List.of("-cp", clusterClasspath(), FlinkSessionCluster.class.getName(),
                workDirectory.toAbsolutePath().toString(), Integer.toString(slots)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(FlinkSessionCluster.ADDRESS_LINE)) {
                    return new FlinkSession(process, new URI(line.substring(FlinkSessionCluster.ADDRESS_LINE.length()).trim()), log);
                }
            }
            throw new IllegalStateException("the Flink session cluster exited before listening; see " + log + ":\n"
                    + tail(log));
        } catch (URISyntaxException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the Flink session cluster printed a bad address", e);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The classpath of the cluster JVM: this module's classes and its runtime dependencies (target/lib). */
    static String clusterClasspath() {
        try {
            Path self = Path.of(FlinkSession.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = self.getParent().resolve("lib");
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException("no " + lib + ": build tributary-testing-flink with `package` first");
            }
            return self + java.io.File.pathSeparator + lib + "/*";
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI restAddress() {
        return restAddress;
    }

    /** Uploads a job jar as the web UI does; returns the id the cluster gave it. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "tributary-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(restAddress.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        if (!"success".equals(answer.path("status").asText())) {
            throw new IllegalStateException("upload of " + jar + " refused: " + answer);
        }
        String stored = answer.path("filename").asText();
        return stored.substring(stored.lastIndexOf('/') + 1);
    }

    /** Runs an uploaded jar's {@code entryClass} with {@code arguments}; returns the job id. */
    public String runJar(String jarId, String entryClass, List<String> arguments) throws IOException, InterruptedException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("entryClass", entryClass);
        request.put("programArgsList", arguments);
        JsonNode answer = send(HttpRequest.newBuilder(restAddress.resolve("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
        if (!answer.hasNonNull("jobid")) {
            throw new IllegalStateException("run of " + entryClass + " refused: " + answer);
        }
        return answer.get("jobid").asText();
    }

    /** The job's state as the REST API reports it (RUNNING, FINISHED, FAILED, ...). */
    public String jobState(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(restAddress.resolve("/jobs/" + jobId)).GET()).path("state").asText();
    }

    /** The job's root exception and history, for a test's failure message. */
    public String jobExceptions(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(restAddress.resolve("/jobs/" + jobId + "/exceptions")).GET()).toPrettyString();
    }

    /** The last lines the cluster logged (warnings and errors). */
    public String logTail() {
        return tail(log);
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " answered "
                    + response.statusCode() + ": " + body.path("errors"));
        }
        return body;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the cluster's standard input (it shuts down) and waits for it; kills it after 30 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
