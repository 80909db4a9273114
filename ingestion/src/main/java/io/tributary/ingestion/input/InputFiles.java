package io.tributary.ingestion.input;

import io.tributary.core.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Expands the {@code --input} arguments into the files of a batch, in ingestion order: arguments in the
 * order given, files of a directory (recursively) sorted by path. Directories contribute their
 * {@code .jsonl}, {@code .json} and {@code .jsonl.gz} files; a file named explicitly is read whatever its name.
 */
public final class InputFiles {
    private InputFiles() {}

    public static List<InputFile> expand(List<String> arguments, Configuration hadoop) {
        if (arguments.isEmpty()) {
            throw new UserError("give at least one --input PATH");
        }
        List<InputFile> files = new ArrayList<>();
        for (String argument : arguments) {
            URI uri = toUri(argument);
            try {
                FileSystem fs = FileSystem.get(uri, hadoop);
                org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
                if (!fs.exists(path)) {
                    throw new UserError("input not found: " + argument);
                }
                FileStatus status = fs.getFileStatus(path);
                if (status.isFile()) {
                    files.add(new InputFile(files.size(), status.getPath().toString(), status.getLen()));
                    continue;
                }
                List<FileStatus> found = new ArrayList<>();
                var iterator = fs.listFiles(path, true);
                while (iterator.hasNext()) {
                    FileStatus file = iterator.next();
                    if (isJsonLines(file.getPath().getName())) {
                        found.add(file);
                    }
                }
                found.sort(Comparator.comparing(file -> file.getPath().toString()));
                if (found.isEmpty()) {
                    throw new UserError("no .jsonl, .json or .jsonl.gz files under " + argument);
                }
                for (FileStatus file : found) {
                    files.add(new InputFile(files.size(), file.getPath().toString(), file.getLen()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list input " + argument + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    static boolean isJsonLines(String name) {
        return !name.startsWith(".") && !name.startsWith("_")
                && (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".jsonl.gz")
                || name.endsWith(".ndjson") || name.endsWith(".ndjson.gz"));
    }

    private static URI toUri(String argument) {
        if (argument.matches("[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
            return URI.create(argument);
        }
        return Path.of(argument).toAbsolutePath().normalize().toUri();
    }
}
