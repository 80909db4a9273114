package io.tributary.operations.pipeline;

import io.tributary.core.cli.CommandOutput;
import io.tributary.core.cli.GlobalOptions;
import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeline plan|step|run}: the scheduled pipeline, the one plan both runners (this and Airflow) build from. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Show the pipeline plan, run one step, or run the plan locally.",
        subcommands = {PipelineCommand.Plan.class, PipelineCommand.Step.class, PipelineCommand.Run.class})
public final class PipelineCommand {

    static PipelinePlan plan(TributaryConfig config) {
        return PipelinePlan.read(Path.of(config.location("tributary.pipeline.plan")));
    }

    /** The --conf/--lake options as given, passed on to every step's command. */
    static List<String> passedOn(picocli.CommandLine.Model.CommandSpec spec) {
        List<String> arguments = new ArrayList<>();
        for (String name : List.of("--conf", "--lake")) {
            picocli.CommandLine.Model.OptionSpec option = spec.findOption(name);
            if (option != null && option.getValue() != null) {
                arguments.add(name);
                arguments.add(option.getValue().toString());
            }
        }
        return arguments;
    }

    /** Prints the plan: steps in dependency order with commands, schedules, retries and SLAs. */
    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Print the pipeline plan (steps in dependency order).")
    static final class Plan implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Override
        public Integer call() {
            TributaryConfig config = global.config();
            PipelinePlan plan = plan(config);
            List<Map<String, Object>> steps = new ArrayList<>();
            for (PipelineStep step : plan.ordered()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("id", step.id());
                json.put("description", step.description());
                json.put("schedule", step.schedule());
                json.put("for_each", step.forEach().word());
                json.put("skip_when", step.skipWhen().word());
                json.put("command", step.command());
                json.put("depends_on", step.dependsOn());
                json.put("retries", step.retries());
                json.put("retry_delay_minutes", step.retryDelayMinutes());
                json.put("sla_minutes", step.slaMinutes());
                steps.add(json);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", plan.name());
            json.put("file", config.location("tributary.pipeline.plan"));
            json.put("steps", steps);
            CommandOutput.of(global).print(json, () -> {
                StringBuilder text = new StringBuilder("pipeline " + plan.name() + " (" + json.get("file") + ")\n");
                for (PipelineStep step : plan.ordered()) {
                    text.append(String.format("  %-10s %-8s for each %-8s after %-18s bin/tributary %s%n", step.id(),
                            step.schedule(), step.forEach().word(), step.dependsOn().isEmpty() ? "-" : String.join(",", step.dependsOn()),
                            String.join(" ", step.command())));
                }
                return text.toString().stripTrailing();
            });
            return 0;
        }
    }

    /** Runs one step for every item (or one Datanet): what each scheduled task runs. */
    @Command(name = "step", mixinStandardHelpOptions = true,
            description = "Run one step of the plan for every Datanet (or adapter) it applies to; exit 1 if any failed.")
    static final class Step implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "STEP", description = "A step id of the plan (see `pipeline plan`).")
        String id;

        @Option(names = "--datanet", paramLabel = "ID", description = "Only this Datanet.")
        String datanet;

        @Override
        public Integer call() {
            TributaryConfig config = global.config();
            PipelineStep step = plan(config).step(id);
            List<StepResult> results = new StepRunner(config, passedOn(spec), System.err).run(step, Optional.ofNullable(datanet));
            return report(global, results);
        }
    }

    /** Runs the plan's steps in dependency order, optionally stopping after one. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the plan locally, step by step in dependency order; stops at the first step with a failed item.")
    static final class Run implements Callable<Integer> {
        @Mixin
        GlobalOptions global;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--until", paramLabel = "STEP", description = "Stop after this step (and the steps it needs).")
        String until;

        @Option(names = "--datanet", paramLabel = "ID", description = "Only this Datanet.")
        String datanet;

        @Override
        public Integer call() {
            TributaryConfig config = global.config();
            PipelinePlan plan = plan(config);
            List<PipelineStep> steps = until == null ? plan.ordered() : plan.until(until);
            StepRunner runner = new StepRunner(config, passedOn(spec), System.err);
            List<StepResult> results = new ArrayList<>();
            for (PipelineStep step : steps) {
                List<StepResult> stepResults = runner.run(step, Optional.ofNullable(datanet));
                results.addAll(stepResults);
                if (stepResults.stream().anyMatch(result -> result.outcome() == StepResult.Outcome.FAILED)) {
                    System.err.printf("pipeline: stopping: step %s failed; later steps were not run%n", step.id());
                    break;
                }
            }
            return report(global, results);
        }
    }

    static int report(GlobalOptions global, List<StepResult> results) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StepResult result : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", result.step());
            row.put("item", result.item());
            row.put("outcome", result.outcome().word());
            row.put("attempts", result.attempts());
            row.put("seconds", result.seconds());
            row.put("detail", result.detail());
            rows.add(row);
        }
        boolean failed = results.stream().anyMatch(result -> result.outcome() == StepResult.Outcome.FAILED);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", !failed);
        json.put("results", rows);
        CommandOutput.of(global).print(json, () -> {
            StringBuilder text = new StringBuilder();
            for (StepResult result : results) {
                text.append(String.format("%-10s %-14s %-8s %8.1f s  %s%n", result.step(), result.item(), result.outcome().word(),
                        result.seconds(), result.detail()));
            }
            text.append(failed ? "pipeline: FAILED" : "pipeline: ok");
            return text.toString();
        });
        if (failed) {
            throw new UserError("a step failed: " + results.stream().filter(r -> r.outcome() == StepResult.Outcome.FAILED)
                    .map(r -> r.step() + " [" + r.item() + "]").toList());
        }
        return 0;
    }
}
