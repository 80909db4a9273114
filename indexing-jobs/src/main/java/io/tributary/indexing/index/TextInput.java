package io.tributary.indexing.index;

import io.tributary.core.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The text a query is about: {@code --text TEXT}, {@code --text -} (stdin) or {@code --text-file PATH}. */
public final class TextInput {
    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    static final class Source {
        @Option(names = "--text", paramLabel = "TEXT", description = "The text; '-' reads it from stdin.")
        String text;

        @Option(names = "--text-file", paramLabel = "PATH", description = "A UTF-8 file holding the text.")
        Path file;
    }

    public String read() {
        try {
            if (source.file != null) {
                if (!Files.isRegularFile(source.file)) {
                    throw new UserError("--text-file " + source.file + ": no such file");
                }
                return Files.readString(source.file, StandardCharsets.UTF_8);
            }
            if ("-".equals(source.text)) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return source.text;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError("--text-file " + source.file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UserError("cannot read the text: " + e.getMessage(), e);
        }
    }
}
