package io.tributary.core.lake;

/** The Delta tables of the lake; each lives at {@code <lake root>/<name>}. */
public enum LakeTable {
    DATANETS("datanets"),
    CONTRIBUTIONS("contributions"),
    QUARANTINE("quarantine"),
    BATCHES("batches"),
    CORPUS("corpus"),
    INDEX_MANIFEST("index_manifest"),
    ADAPTERS("adapters"),
    INFLUENCE("influence"),
    INFERENCES("inferences"),
    ATTRIBUTIONS("attributions"),
    EPOCHS("epochs"),
    PAYOUTS("payouts");

    private final String tableName;

    LakeTable(String tableName) {
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    public String path(String lakeRoot) {
        return lakeRoot.replaceAll("/$", "") + "/" + tableName;
    }
}
