package io.tributary.indexing.influence;

import io.tributary.indexing.index.LakeFiles;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The stored projected gradients of one set of examples at one adapter state: Arrow files under
 * {@code <lake>/influence/<adapter>/<projection>/<state>/<role>/}, read back in Spark tasks, one task per file.
 */
public record GradientSet(String directory, GradientFiles.Layout layout, List<String> files, int examples, long tokens,
                          double seconds, boolean reused) implements Serializable {

    /** The gradients as a Spark dataset: each task reads its own file, nothing passes through the driver. */
    public JavaRDD<ProjectedGradient> rdd(JavaSparkContext context, LakeFiles lakeFiles) {
        GradientFiles.Layout columns = layout;
        return context.parallelize(files, Math.max(1, files.size()))
                .flatMap(uri -> GradientFiles.read(lakeFiles, uri, columns).iterator());
    }

    /** Every gradient on the driver: for query sets, which are small (queries x features). */
    public List<ProjectedGradient> readAll(LakeFiles lakeFiles) {
        return files.stream().flatMap(uri -> GradientFiles.read(lakeFiles, uri, layout).stream()).toList();
    }
}
