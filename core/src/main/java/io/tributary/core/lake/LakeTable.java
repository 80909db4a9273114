package io.tributary.core.lake;

import static io.tributary.core.lake.ColumnType.Primitive.BINARY;
import static io.tributary.core.lake.ColumnType.Primitive.BOOLEAN;
import static io.tributary.core.lake.ColumnType.Primitive.DOUBLE;
import static io.tributary.core.lake.ColumnType.Primitive.INT;
import static io.tributary.core.lake.ColumnType.Primitive.LONG;
import static io.tributary.core.lake.ColumnType.Primitive.STRING;
import static io.tributary.core.lake.ColumnType.Primitive.TIMESTAMP;
import static io.tributary.core.lake.ColumnType.arrayOf;

/**
 * The Delta tables of the lake and their schemas: the one declaration of each table's columns, types and
 * partitioning. Each lives at {@code <lake root>/<name>}; engines adapt {@link #schema()} to their own types.
 * docs/ARCHITECTURE.md describes what each column means.
 */
public enum LakeTable {
    DATANETS("datanets", TableSchema.builder()
            .required("datanet", STRING)
            .required("name", STRING)
            .required("topic", STRING)
            .required("owner", STRING)
            .required("protocol_bps", INT)
            .required("creator_bps", INT)
            .required("contributors_bps", INT)
            .required("created_at", TIMESTAMP)
            .build()),
    CONTRIBUTIONS("contributions", TableSchema.builder()
            .required("contribution_id", STRING)
            .required("datanet", STRING)
            .required("contributor", STRING)
            .required("signature", STRING)
            .required("license", STRING)
            .optional("source", STRING)
            .optional("submitted_at", TIMESTAMP)
            .required("ingested_at", TIMESTAMP)
            .required("batch_id", STRING)
            .required("ingest_order", LONG)
            .required("text_bytes", INT)
            .required("text", STRING)
            .partitionedBy("datanet")
            .build()),
    QUARANTINE("quarantine", TableSchema.builder()
            .required("quarantine_id", STRING)
            .required("datanet", STRING)
            .required("batch_id", STRING)
            .required("source_file", STRING)
            .required("line", LONG)
            .required("reason", STRING)
            .optional("detail", STRING)
            .required("raw", BINARY)
            .required("quarantined_at", TIMESTAMP)
            .partitionedBy("datanet")
            .build()),
    BATCHES("batches", TableSchema.builder()
            .required("batch_id", STRING)
            .required("datanet", STRING)
            .required("created_at", TIMESTAMP)
            .required("read", LONG)
            .required("accepted", LONG)
            .required("duplicates", LONG)
            .required("quarantined", LONG)
            .required("merkle_root", STRING)
            .required("contribution_ids", arrayOf(STRING))
            .required("inputs", arrayOf(STRING))
            .build()),
    CORPUS("corpus", TableSchema.builder()
            .required("datanet", STRING)
            .required("version", LONG)
            .required("contribution_id", STRING)
            .required("canonical_id", STRING)
            .required("duplicate_kind", STRING)
            .required("similarity", DOUBLE)
            .required("cluster_id", LONG)
            .partitionedBy("datanet")
            .build()),
    INDEX_MANIFEST("index_manifest", TableSchema.builder()
            .required("datanet", STRING)
            .required("version", LONG)
            .required("shard", INT)
            .required("tokens", LONG)
            .required("documents", LONG)
            .required("bytes", LONG)
            .required("tokenizer", STRING)
            .required("checksum", STRING)
            .required("path", STRING)
            .required("first_ingest_order", LONG)
            .required("last_ingest_order", LONG)
            .required("built_at", TIMESTAMP)
            .build()),
    ADAPTERS("adapters", TableSchema.builder()
            .required("adapter_id", STRING)
            .optional("base_model", STRING)
            .optional("base_model_sha256", STRING)
            .optional("datanet", STRING)
            .optional("datanet_version", LONG)
            .optional("corpus_source", STRING)
            .optional("examples", LONG)
            .optional("train_contribution_ids", STRING)
            .optional("eval_contribution_ids", STRING)
            .optional("hyper_parameters", STRING)
            .optional("target_modules", STRING)
            .optional("rank", INT)
            .optional("lora_alpha", DOUBLE)
            .optional("steps", LONG)
            .optional("tokens", LONG)
            .optional("eval_loss_before", DOUBLE)
            .optional("eval_loss_after", DOUBLE)
            .optional("seconds", DOUBLE)
            .optional("artifact_path", STRING)
            .optional("adapter_sha256", STRING)
            .optional("creator", STRING)
            .optional("created_at", TIMESTAMP)
            // Unique name given at registration (`train lora --name`), by which requests may name the adapter;
            // tables written before the column existed read it as empty.
            .optional("name", STRING)
            .build()),
    /**
     * Prices of adapters (written by `tributary adapters price`, read by the server), in wei per 1,000 tokens as
     * decimal strings. The price of an adapter at time t is its row with the latest {@code effective_from <= t}
     * (ties: the latest {@code recorded_at}); {@code adapter_id} "" prices the bare base model. {@code price_version}
     * is a content hash of the row's adapter, prices and effective time, and is what inference records cite.
     */
    ADAPTER_PRICES("adapter_prices", TableSchema.builder()
            .required("adapter_id", STRING)
            .required("prompt_wei_per_1k", STRING)
            .required("completion_wei_per_1k", STRING)
            .required("effective_from", TIMESTAMP)
            .required("price_version", STRING)
            .required("recorded_at", TIMESTAMP)
            .build()),
    /**
     * Influence scores, appended per run (indexing-jobs' influence job; a run is one adapter, method and query set).
     * The attribution stream's priors read the latest run per adapter (by {@code computed_at}, then run id),
     * whatever its method, among the runs over real queries (every query set but {@code self}). {@code score > 0}: the contribution lowered the query loss (helped); rank 1
     * is the most helpful.
     */
    INFLUENCE("influence", TableSchema.builder()
            .required("run_id", STRING)
            .required("adapter_id", STRING)
            .required("datanet", STRING)
            .required("datanet_version", LONG)
            .required("contribution_id", STRING)
            .required("contributor", STRING)
            .required("method", STRING)
            .required("query_set", STRING)
            .required("score", DOUBLE)
            .required("rank", INT)
            .required("computed_at", TIMESTAMP)
            .build()),
    /**
     * The per-contributor view of one influence run (written with it): the sum and count of the contributor's
     * contribution scores, for dashboards and notebooks. Same run ids and sign convention as {@link #INFLUENCE}.
     */
    INFLUENCE_CONTRIBUTORS("influence_contributors", TableSchema.builder()
            .required("run_id", STRING)
            .required("adapter_id", STRING)
            .required("datanet", STRING)
            .required("datanet_version", LONG)
            .required("contributor", STRING)
            .required("method", STRING)
            .required("query_set", STRING)
            .required("score_sum", DOUBLE)
            .required("contributions", INT)
            .required("computed_at", TIMESTAMP)
            .build()),
    EPOCHS("epochs", TableSchema.builder()
            .optional("epoch", LONG)
            .optional("chain_id", LONG)
            .optional("distributor", STRING)
            .optional("root", STRING)
            .optional("accounts", INT)
            .optional("total", STRING)
            .optional("status", STRING)
            .optional("tx", STRING)
            .optional("block", LONG)
            .optional("recorded_at", TIMESTAMP)
            .build()),
    PAYOUTS("payouts", TableSchema.builder()
            .optional("epoch", LONG)
            .optional("chain_id", LONG)
            .optional("distributor", STRING)
            .optional("root", STRING)
            .optional("index", LONG)
            .optional("account", STRING)
            .optional("amount", STRING)
            .optional("proof", new ColumnType.ArrayOf(STRING, true))
            .optional("status", STRING)
            .optional("recorded_at", TIMESTAMP)
            .build()),
    CLAIMS("claims", TableSchema.builder()
            .optional("epoch", LONG)
            .optional("chain_id", LONG)
            .optional("distributor", STRING)
            .optional("index", LONG)
            .optional("account", STRING)
            .optional("amount", STRING)
            .optional("tx", STRING)
            .optional("block", LONG)
            .optional("claimed_at", TIMESTAMP)
            .build()),
    BATCH_ANCHORS("batch_anchors", TableSchema.builder()
            .optional("batch_id", STRING)
            .optional("datanet", STRING)
            .optional("merkle_root", STRING)
            .optional("contributions", LONG)
            .optional("chain_id", LONG)
            .optional("registry", STRING)
            .optional("tx", STRING)
            .optional("block", LONG)
            .optional("anchored_at", TIMESTAMP)
            .build()),
    /*
     * The attribution stream's tables (attribution-stream/ writes them, settlement, the dashboard and notebooks read
     * them). Money is integer wei as decimal strings; credits are exact rationals "numerator/denominator" (reduced),
     * with a double beside them for display only. No column holds a wall-clock time of processing except
     * attribution_epochs.closed_at and rejected_inferences.rejected_at, so a replay over the same log writes the
     * same rows.
     */
    /** Every valid inference record the stream processed, with the epoch it was credited to. */
    INFERENCES("inferences", TableSchema.builder()
            .required("inference_id", STRING)
            .required("served_at", TIMESTAMP)
            .required("epoch", LONG)
            // true when the record arrived after its own epoch closed and was credited to the earliest open one
            .required("late", BOOLEAN)
            .required("adapter_id", STRING)
            .required("datanet", STRING)
            .optional("datanet_version", LONG)
            .required("base_model_sha256", STRING)
            .required("adapter_sha256", STRING)
            .required("payer", STRING)
            .required("api_key_id", STRING)
            .required("prompt_tokens", LONG)
            .required("completion_tokens", LONG)
            .required("completion", STRING)
            .required("finish_reason", STRING)
            .required("fee_wei", STRING)
            .required("price_version", STRING)
            // InferenceRecord.hash(): keccak256 of the record's canonical JSON line, 0x hex; the leaf of the epoch's
            // inference Merkle root (attribution_epochs.inferences_root, leaves in inference_id order)
            .required("record_hash", STRING)
            // completion tokens (index tokenizer) covered by a kept span
            .required("covered_tokens", LONG)
            .partitionedBy("epoch")
            .build()),
    /** One row per (inference, credited contribution or role): where each wei of each fee went. */
    ATTRIBUTIONS("attributions", TableSchema.builder()
            .required("inference_id", STRING)
            .required("epoch", LONG)
            .required("datanet", STRING)
            // span: traced verbatim span; prior: uncovered tokens by influence or training share; creator; protocol
            .required("kind", STRING)
            // token offsets [span_start, span_end) in the completion (index tokenizer); null for non-span rows
            .optional("span_start", INT)
            .optional("span_end", INT)
            .optional("contribution_id", STRING)
            .required("account", STRING)
            .required("credit", STRING)
            .required("credited_tokens", DOUBLE)
            .required("wei", STRING)
            .partitionedBy("epoch")
            .build()),
    /** Per epoch, per account and role (contributor, creator, protocol): the wei owed. Written when the epoch closes. */
    EPOCH_PAYOUTS("epoch_payouts", TableSchema.builder()
            .required("epoch", LONG)
            .required("account", STRING)
            .required("role", STRING)
            .required("wei", STRING)
            .build()),
    /** One row per closed epoch of the stream: its event-time bounds, counts, fees and inference Merkle root. */
    ATTRIBUTION_EPOCHS("attribution_epochs", TableSchema.builder()
            .required("epoch", LONG)
            .required("start", TIMESTAMP)
            .required("end", TIMESTAMP)
            .required("inferences", LONG)
            .required("late", LONG)
            .required("fees_wei", STRING)
            .required("inferences_root", STRING)
            .required("closed_at", TIMESTAMP)
            .build()),
    /** Inference-log records the stream refused, raw bytes kept, with the reason code of core's InferenceRejection. */
    REJECTED_INFERENCES("rejected_inferences", TableSchema.builder()
            // sha256 over source and raw bytes: a replay rejects the same record under the same id
            .required("rejection_id", STRING)
            // where the bytes came from: file and line, or topic, partition and offset
            .required("source", STRING)
            .required("reason", STRING)
            .optional("detail", STRING)
            .required("raw", BINARY)
            .optional("rejected_at", TIMESTAMP)
            .build());

    private final String tableName;
    private final TableSchema schema;

    LakeTable(String tableName, TableSchema schema) {
        this.tableName = tableName;
        this.schema = schema;
    }

    public String tableName() {
        return tableName;
    }

    public TableSchema schema() {
        return schema;
    }

    public String path(String lakeRoot) {
        return lakeRoot.replaceAll("/$", "") + "/" + tableName;
    }
}
