package io.tributary.core.index;

import io.tributary.core.id.DatanetId;

/** Where a Datanet's index lives under the lake root: {@code <lake>/indexes/<datanet>/}. */
public record IndexLocation(String lakeRoot, DatanetId datanet) {
    public String directory() {
        return lakeRoot.replaceAll("/$", "") + "/indexes/" + datanet.value();
    }

    public String manifest() {
        return directory() + "/" + IndexManifest.FILE_NAME;
    }

    /** The copy of a Hugging Face tokenizer.json an index was built with. */
    public String tokenizerJson() {
        return directory() + "/tokenizer.json";
    }

    public static String shardFileName(int shard) {
        return String.format("shards/shard-%06d.trib", shard);
    }

    public String file(String relative) {
        return directory() + "/" + relative;
    }
}
