package io.moescope.traces.importer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The trace formats moescope reads (see docs/trace-formats.md); {@link #id()} is what {@code --format} takes. */
public enum TraceFormat {
    VLLM_HOOK("vllm-hook"),
    ROUTE_LOG("route-log"),
    ROUTED_EXPERTS("routed-experts"),
    HF_LOGITS("hf-logits"),
    CSV("csv"),
    MOESCOPE_JSONL("moescope-jsonl"),
    MEGATRON_ROUTER_TRACE("megatron-router-trace"),
    TENSORRT_LLM_EXPERT_STATISTIC("trtllm-expert-statistic"),
    LLAMA_CPP_MOE_TRACE("llama-moe-trace");

    private final String id;

    TraceFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether a trace of this format is a directory of files (an upload of one file cannot hold it). */
    public boolean isDirectory() {
        return this == TENSORRT_LLM_EXPERT_STATISTIC;
    }

    /** @throws IllegalArgumentException naming the formats there are */
    public static TraceFormat of(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown format '" + id + "': one of " + ids()));
    }

    public static String ids() {
        return Arrays.stream(values()).map(TraceFormat::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
