package io.tributary.clustertests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a module's command in its own JVM the way {@code bin/tributary} does (main class and JVM flags from the
 * module's {@code tributary-commands.txt}, classpath {@code <module>/target/classes:<module>/target/lib/*}), with the
 * environment a user's shell would give it. Output goes to one log file per command.
 */
final class ModuleLauncher {
    private final Path home;
    private final Path work;
    private final Map<String, String> environment;
    private int commands;

    ModuleLauncher(Path home, Path work, Map<String, String> environment) throws IOException {
        this.home = home;
        this.work = Files.createDirectories(work);
        this.environment = new LinkedHashMap<>(environment);
    }

    /** Runs {@code arguments} with the module's main; returns its standard output, or fails with its log's tail. */
    String run(String module, String... arguments) throws IOException, InterruptedException {
        List<String> declaration = Files.readAllLines(home.resolve(module).resolve("src/main/resources/tributary-commands.txt"));
        String main = value(declaration, "main ");
        String jvm = value(declaration, "jvm ").replace("@spark-flags@", System.getProperty("tributary.sparkFlags", ""));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The modules ask for 4 GiB of heap as an upper bound; two at a time fit this shared machine with 2 GiB.
        Arrays.stream(jvm.trim().split("\\s+")).map(flag -> flag.startsWith("-Xmx") ? "-Xmx2g" : flag).forEach(command::add);
        command.add("-cp");
        command.add(home.resolve(module).resolve("target/classes") + ":" + home.resolve(module).resolve("target/lib") + "/*");
        command.add(main);
        command.addAll(List.of(arguments));
        Path out = work.resolve(String.format("%02d-%s.out", ++commands, arguments[0]));
        Path err = work.resolve(String.format("%02d-%s.log", commands, arguments[0]));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // The module's `env` lines, as bin/tributary passes them (the caller's environment wins).
        declaration.stream().filter(line -> line.startsWith("env ")).map(line -> line.substring(4).trim().split("=", 2))
                .forEach(pair -> builder.environment().putIfAbsent(pair[0], pair[1]));
        builder.environment().putAll(environment);
        int status = builder.start().waitFor();
        if (status != 0) {
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
            throw new AssertionError(module + " " + String.join(" ", arguments) + " exited " + status + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String value(List<String> declaration, String prefix) {
        return declaration.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .findFirst().orElse("");
    }
}
