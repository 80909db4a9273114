package io.tributary.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path temp;

    @Test
    void deletesATreeDeepestFirstAndLeavesItsSiblings() throws Exception {
        Path root = temp.resolve("work");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/leaf.txt"), "x");
        Files.writeString(root.resolve("a/top.txt"), "y");
        Path sibling = Files.writeString(temp.resolve("keep.txt"), "z");

        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(sibling).exists();
    }

    @Test
    void aMissingRootIsNothingToDo() throws Exception {
        FileTrees.delete(temp.resolve("never-made"));
        assertThat(temp).exists();
    }
}
