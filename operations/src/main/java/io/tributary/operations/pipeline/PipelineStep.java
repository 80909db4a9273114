package io.tributary.operations.pipeline;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of the plan: the {@code bin/tributary} command it runs (words with {@code {placeholder}}s), what it runs
 * once per, when an item is skipped, the steps it waits for, and how a scheduler retries and watches it.
 */
public record PipelineStep(
        String id,
        String description,
        String schedule,
        ForEach forEach,
        SkipRule skipWhen,
        List<String> command,
        List<String> dependsOn,
        int retries,
        int retryDelayMinutes,
        int slaMinutes) {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    public PipelineStep {
        command = List.copyOf(command);
        dependsOn = List.copyOf(dependsOn);
    }

    /** The placeholders the command uses, in order of first use. */
    public List<String> placeholders() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (String word : command) {
            Matcher matcher = PLACEHOLDER.matcher(word);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return List.copyOf(names);
    }

    /** The command's leading words that name a {@code bin/tributary} command (before the first option). */
    public List<String> commandWords() {
        int options = 0;
        while (options < command.size() && !command.get(options).startsWith("-")) {
            options++;
        }
        return command.subList(0, options);
    }
}
