package io.tributary.operations.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline plan ({@code pipeline/plan.json}): the one description of the scheduled steps that the local runner
 * and the Airflow DAGs both build from. Read and validated once: unknown or missing fields, unknown placeholders,
 * dependencies on unknown steps and cycles are errors naming the file and the step.
 */
public record PipelinePlan(String name, String description, List<PipelineStep> steps) {
    /** Placeholders a command may use; the runner fills them from the item and the profile. */
    public static final Set<String> PLACEHOLDERS = Set.of("datanet", "datanet_version", "adapter", "inbox", "base_model",
            "adapters_dir", "epoch");
    private static final Set<String> STEP_FIELDS = Set.of("id", "description", "schedule", "for_each", "skip_when",
            "command", "depends_on", "retries", "retry_delay_minutes", "sla_minutes");
    private static final java.util.regex.Pattern STEP_ID = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public PipelinePlan {
        steps = List.copyOf(steps);
    }

    public static PipelinePlan read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new PlanException("cannot read the pipeline plan " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PlanException("the pipeline plan " + file + " is not a JSON object");
        }
        List<PipelineStep> steps = new ArrayList<>();
        for (JsonNode step : root.path("steps")) {
            steps.add(step(step, file));
        }
        if (steps.isEmpty()) {
            throw new PlanException("the pipeline plan " + file + " has no steps");
        }
        PipelinePlan plan = new PipelinePlan(text(root, "name", file, "plan"), text(root, "description", file, "plan"), steps);
        plan.validate(file);
        return plan;
    }

    private static PipelineStep step(JsonNode node, Path file) {
        String id = text(node, "id", file, "a step");
        if (!STEP_ID.matcher(id).matches()) {
            throw new PlanException(file + ": step id '" + id + "' must match " + STEP_ID.pattern());
        }
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!STEP_FIELDS.contains(field)) {
                throw new PlanException(file + ": step '" + id + "' has an unknown field '" + field + "'");
            }
        }
        List<String> command = strings(node, "command", file, id);
        if (command.isEmpty()) {
            throw new PlanException(file + ": step '" + id + "' has an empty command");
        }
        return new PipelineStep(id, text(node, "description", file, id), text(node, "schedule", file, id),
                ForEach.of(text(node, "for_each", file, id), id), SkipRule.of(text(node, "skip_when", file, id), id),
                command, strings(node, "depends_on", file, id), count(node, "retries", file, id),
                count(node, "retry_delay_minutes", file, id), count(node, "sla_minutes", file, id));
    }

    private void validate(Path file) {
        Map<String, PipelineStep> byId = new HashMap<>();
        for (PipelineStep step : steps) {
            if (byId.put(step.id(), step) != null) {
                throw new PlanException(file + ": step '" + step.id() + "' is declared twice");
            }
        }
        for (PipelineStep step : steps) {
            for (String dependency : step.dependsOn()) {
                if (!byId.containsKey(dependency)) {
                    throw new PlanException(file + ": step '" + step.id() + "' depends on unknown step '" + dependency + "'");
                }
            }
            for (String placeholder : step.placeholders()) {
                if (!PLACEHOLDERS.contains(placeholder)) {
                    throw new PlanException(file + ": step '" + step.id() + "' uses unknown placeholder {" + placeholder
                            + "}; known: " + new java.util.TreeSet<>(PLACEHOLDERS));
                }
            }
            boolean perDatanet = step.forEach() == ForEach.DATANET || step.forEach() == ForEach.ADAPTER;
            if (!perDatanet && (step.placeholders().contains("datanet") || step.placeholders().contains("adapter"))) {
                throw new PlanException(file + ": step '" + step.id() + "' does not run per Datanet but uses {datanet} or {adapter}");
            }
            if (step.forEach() != ForEach.EPOCH && step.placeholders().contains("epoch")) {
                throw new PlanException(file + ": step '" + step.id() + "' uses {epoch} but does not run for each epoch");
            }
            if (step.forEach() != ForEach.ADAPTER && step.placeholders().contains("adapter")) {
                throw new PlanException(file + ": step '" + step.id() + "' uses {adapter} but does not run for each adapter");
            }
        }
        order(file);
    }

    /** The steps in an order where every step comes after the steps it depends on (plan order among equals). */
    public List<PipelineStep> ordered() {
        return order(Path.of("pipeline plan"));
    }

    private List<PipelineStep> order(Path file) {
        List<PipelineStep> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        Map<String, PipelineStep> byId = new LinkedHashMap<>();
        steps.forEach(step -> byId.put(step.id(), step));
        for (PipelineStep step : steps) {
            visit(step, byId, done, visiting, ordered, file);
        }
        return ordered;
    }

    private static void visit(PipelineStep step, Map<String, PipelineStep> byId, Set<String> done, Set<String> visiting,
                              List<PipelineStep> ordered, Path file) {
        if (done.contains(step.id())) {
            return;
        }
        if (!visiting.add(step.id())) {
            throw new PlanException(file + ": the steps' dependencies form a cycle through '" + step.id() + "'");
        }
        for (String dependency : step.dependsOn()) {
            visit(byId.get(dependency), byId, done, visiting, ordered, file);
        }
        visiting.remove(step.id());
        done.add(step.id());
        ordered.add(step);
    }

    public PipelineStep step(String id) {
        return steps.stream().filter(step -> step.id().equals(id)).findFirst()
                .orElseThrow(() -> new PlanException("no step '" + id + "' in the plan; steps: "
                        + steps.stream().map(PipelineStep::id).toList()));
    }

    /** The steps up to and including {@code last}, in dependency order: what {@code run --until last} runs. */
    public List<PipelineStep> until(String last) {
        step(last);
        List<PipelineStep> ordered = ordered();
        List<PipelineStep> prefix = new ArrayList<>();
        for (PipelineStep step : ordered) {
            prefix.add(step);
            if (step.id().equals(last)) {
                break;
            }
        }
        return prefix;
    }

    private static String text(JsonNode node, String field, Path file, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new PlanException(file + ": " + where + " needs a non-empty string '" + field + "'");
        }
        return value.textValue();
    }

    private static int count(JsonNode node, String field, Path file, String step) {
        JsonNode value = node.get(field);
        if (value == null || !value.isInt() || value.intValue() < 0) {
            throw new PlanException(file + ": step '" + step + "' needs a whole number >= 0 '" + field + "'");
        }
        return value.intValue();
    }

    private static List<String> strings(JsonNode node, String field, Path file, String step) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new PlanException(file + ": step '" + step + "' needs a list of strings '" + field + "'");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new PlanException(file + ": step '" + step + "': '" + field + "' holds a non-string " + item);
            }
            list.add(item.textValue());
        }
        return list;
    }
}
