package io.tributary.operations.pipeline;

import io.tributary.core.config.TributaryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * Runs a plan step: expands it into items (the lake, each Datanet, each Datanet's latest adapter), skips the items
 * its rule says have nothing to do, and runs each remaining item's command as {@code bin/tributary <command>} in a
 * child process (its own module's JVM, exactly what a scheduler runs), retrying a failed item as the plan says.
 * The children's output goes to stderr, so stdout keeps the pipeline's own summary.
 */
public final class StepRunner {
    private final TributaryConfig config;
    private final List<String> globalArguments;
    private final LakeState lake;
    private final PrintStream log;

    /** {@code globalArguments}: the --conf/--lake options given to the pipeline, passed on to every command. */
    public StepRunner(TributaryConfig config, List<String> globalArguments, PrintStream log) {
        this.config = config;
        this.globalArguments = List.copyOf(globalArguments);
        this.lake = new LakeState(config);
        this.log = log;
    }

    /** The items the step runs for now, narrowed to one Datanet when {@code onlyDatanet} is given. */
    public List<StepItem> items(PipelineStep step, Optional<String> onlyDatanet) {
        List<StepItem> items = new ArrayList<>();
        switch (step.forEach()) {
            case LAKE -> items.add(StepItem.lake());
            case DATANET -> {
                for (String datanet : lake.datanets()) {
                    items.add(new StepItem(datanet, Map.of("datanet", datanet)));
                }
            }
            case ADAPTER -> {
                for (String datanet : lake.datanets()) {
                    lake.latestAdapter(datanet).ifPresent(adapter -> items.add(new StepItem(datanet,
                            Map.of("datanet", datanet, "adapter", (String) adapter.get("adapter_id")))));
                }
            }
            case EPOCH -> {
                for (long epoch : lake.unsettledClosedEpochs()) {
                    items.add(new StepItem("epoch " + epoch, Map.of("epoch", Long.toString(epoch))));
                }
            }
        }
        if (onlyDatanet.isPresent() && step.forEach() != ForEach.EPOCH) {
            items.removeIf(item -> !onlyDatanet.get().equals(item.bindings().get("datanet")));
            if (items.isEmpty() && step.forEach() != ForEach.LAKE) {
                throw new PlanException("step '" + step.id() + "' has no item for Datanet '" + onlyDatanet.get() + "'");
            }
        }
        return items;
    }

    /** Runs every item of the step; a failed item does not stop the others. */
    public List<StepResult> run(PipelineStep step, Optional<String> onlyDatanet) {
        List<StepResult> results = new ArrayList<>();
        for (StepItem item : items(step, onlyDatanet)) {
            results.add(run(step, item));
        }
        if (results.isEmpty()) {
            log.printf("pipeline: %s: nothing to run (%s)%n", step.id(), step.forEach().none());
        }
        return results;
    }

    StepResult run(PipelineStep step, StepItem item) {
        long started = System.nanoTime();
        Map<String, String> values = values(step, item);
        List<String> command = resolve(step, values);
        Optional<String> skip = skipReason(step, item, command);
        if (skip.isPresent()) {
            log.printf("pipeline: %s [%s]: skipped: %s%n", step.id(), item.label(), skip.get());
            return new StepResult(step.id(), item.label(), StepResult.Outcome.SKIPPED, 0, seconds(started), skip.get());
        }
        int attempts = 0;
        int exit;
        do {
            attempts++;
            log.printf("pipeline: %s [%s]: bin/tributary %s%s%n", step.id(), item.label(), String.join(" ", command),
                    attempts > 1 ? " (attempt " + attempts + ")" : "");
            exit = launch(command);
            if (exit != 0 && attempts <= step.retries()) {
                sleep(config.integer("tributary.pipeline.local-retry-delay-seconds"));
            }
        } while (exit != 0 && attempts <= step.retries());
        StepResult.Outcome outcome = exit == 0 ? StepResult.Outcome.OK : StepResult.Outcome.FAILED;
        String detail = exit == 0 ? "" : "exit status " + exit + " after " + attempts + " attempt(s)";
        log.printf("pipeline: %s [%s]: %s%s%n", step.id(), item.label(), outcome.word(), detail.isEmpty() ? "" : " (" + detail + ")");
        return new StepResult(step.id(), item.label(), outcome, attempts, seconds(started), detail);
    }

    private Map<String, String> values(PipelineStep step, StepItem item) {
        Map<String, String> values = new LinkedHashMap<>(item.bindings());
        List<String> used = step.placeholders();
        if (used.contains("inbox")) {
            values.put("inbox", config.location("tributary.pipeline.inbox"));
        }
        if (used.contains("base_model")) {
            values.put("base_model", config.location("tributary.pipeline.base-model"));
        }
        if (used.contains("adapters_dir")) {
            values.put("adapters_dir", config.location("tributary.pipeline.adapters-dir"));
        }
        if (used.contains("datanet_version")) {
            values.put("datanet_version", Long.toString(lake.contributionsVersion()));
        }
        return values;
    }

    /** The step's command words with every placeholder replaced. */
    static List<String> resolve(PipelineStep step, Map<String, String> values) {
        List<String> words = new ArrayList<>();
        for (String word : step.command()) {
            Matcher matcher = PipelineStep.PLACEHOLDER.matcher(word);
            StringBuilder resolved = new StringBuilder();
            while (matcher.find()) {
                String value = values.get(matcher.group(1));
                if (value == null) {
                    throw new PlanException("step '" + step.id() + "': no value for {" + matcher.group(1) + "}");
                }
                matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(resolved);
            words.add(resolved.toString());
        }
        return words;
    }

    private Optional<String> skipReason(PipelineStep step, StepItem item, List<String> command) {
        if (config.strings("tributary.pipeline.disabled-steps").contains(step.id())) {
            return Optional.of("disabled by tributary.pipeline.disabled-steps in " + config.origin());
        }
        if (step.forEach() == ForEach.DATANET && step.skipWhen() != SkipRule.INPUT_MISSING
                && !lake.hasContributions(item.bindings().get("datanet"))) {
            return Optional.of("Datanet " + item.bindings().get("datanet") + " has no contributions yet");
        }
        return switch (step.skipWhen()) {
            case NEVER -> Optional.empty();
            case INPUT_MISSING -> {
                int option = command.indexOf("--input");
                if (option < 0 || option + 1 >= command.size()) {
                    throw new PlanException("step '" + step.id() + "' skips when its input is missing but has no --input");
                }
                String input = command.get(option + 1);
                yield lake.exists(input) ? Optional.empty() : Optional.of("no input at " + input);
            }
            case ADAPTER_CURRENT -> lake.adapterCurrent(item.bindings().get("datanet"))
                    ? Optional.of("its latest adapter already covers every contribution") : Optional.empty();
            case INFLUENCE_CURRENT -> {
                String adapter = item.bindings().get("adapter");
                if (adapter == null) {
                    throw new PlanException("step '" + step.id() + "' skips when influence is current but runs per " + step.forEach().word());
                }
                yield lake.influenceComputed(adapter) ? Optional.of("adapter " + adapter + " already has influence scores")
                        : Optional.empty();
            }
        };
    }

    private int launch(List<String> command) {
        Path launcher = TributaryConfig.home().resolve("bin").resolve("tributary");
        if (!Files.isExecutable(launcher)) {
            throw new PlanException("cannot run steps: no executable " + launcher + " (set TRIBUTARY_HOME)");
        }
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        argv.addAll(command);
        argv.addAll(globalArguments);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put(TributaryConfig.HOME_ENVIRONMENT_VARIABLE, TributaryConfig.home().toString());
        try {
            Process process = builder.start();
            try (InputStream output = process.getInputStream()) {
                output.transferTo(log);
            }
            return process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static void sleep(int seconds) {
        try {
            TimeUnit.SECONDS.sleep(seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double seconds(long started) {
        return Math.round((System.nanoTime() - started) / 1e7) / 100.0;
    }
}
