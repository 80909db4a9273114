package io.tributary.core.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

/** Writes a command's result: its JSON document in JSON mode, its human text otherwise; always to stdout. */
public final class CommandOutput {
    private final OutputMode mode;
    private final PrintStream out;

    public CommandOutput(OutputMode mode, PrintStream out) {
        this.mode = mode;
        this.out = out;
    }

    public static CommandOutput of(GlobalOptions options) {
        return new CommandOutput(options.outputMode(), System.out);
    }

    public void print(Object jsonDocument, Supplier<String> humanText) {
        if (mode == OutputMode.JSON) {
            out.println(Json.write(jsonDocument));
        } else {
            out.println(humanText.get());
        }
        out.flush();
    }

    public OutputMode mode() {
        return mode;
    }
}
