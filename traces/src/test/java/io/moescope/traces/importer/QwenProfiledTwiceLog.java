package io.moescope.traces.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * A vLLM route log of Qwen1.5-MoE (60 experts, top-4, layer 0 logged) shaped like the one in issue 19: the engine
 * profiled twice, so two blocks of 8,192 identical dummy rows (one forward pass of token_idx 0..8191 each, experts
 * 0 1 2 3 with the same gate weights), the second right after data row 9,396.
 *
 * <pre>
 * line 1              meta
 * lines 2..8193       warm-up block 1: 8,192 identical rows
 * lines 8194..9397    the prompt's prefill pass: 1,204 rows, token_idx 0..1203
 * lines 9398..17589   warm-up block 2: 8,192 identical rows (data rows 9,397..17,588)
 * lines 17590..18189  150 decode passes of 4 rows each (token_idx 0..3 per pass)
 * </pre>
 *
 * Real row g (g = 0..1803 in file order) routes to experts 4g, 4g+1, 4g+2, 4g+3 mod 60: every 15 rows cover the 60
 * experts once, so the 1,804 real rows give experts 0..15 121 choices each and the other 44 experts 120 each.
 */
public final class QwenProfiledTwiceLog {

    public static final int BLOCK_ROWS = 8192;
    public static final int PREFILL_ROWS = 1204;
    public static final int DECODE_PASSES = 150;
    public static final int DECODE_BATCH = 4;
    public static final int REAL_ROWS = PREFILL_ROWS + DECODE_PASSES * DECODE_BATCH;

    private QwenProfiledTwiceLog() {
    }

    public static List<String> lines() {
        var lines = new ArrayList<String>();
        lines.add("{\"type\":\"meta\",\"model_id\":\"Qwen/Qwen1.5-MoE-A2.7B\",\"layers_logged\":[0],\"top_k\":4}");
        int[] real = {0};
        warmup(lines);
        for (int t = 0; t < PREFILL_ROWS; t++) {
            lines.add(route(t, real[0]++));
        }
        warmup(lines);
        for (int pass = 0; pass < DECODE_PASSES; pass++) {
            for (int t = 0; t < DECODE_BATCH; t++) {
                lines.add(route(t, real[0]++));
            }
        }
        return lines;
    }

    private static void warmup(List<String> lines) {
        for (int t = 0; t < BLOCK_ROWS; t++) {
            lines.add(row(t, "[0,1,2,3]", "[0.2871,0.2604,0.2377,0.2148]"));
        }
    }

    private static String route(int tokenIdx, int g) {
        int e = 4 * g % 60;
        return row(tokenIdx, "[" + e + "," + (e + 1) + "," + (e + 2) + "," + (e + 3) + "]",
                "[0.41,0.27,0.19,0." + (10 + g % 9) + "]");
    }

    private static String row(int tokenIdx, String ids, String weights) {
        return "{\"type\":\"route\",\"req_id\":\"0\",\"token_idx\":" + tokenIdx + ",\"layer\":0,\"topk_ids\":" + ids
                + ",\"topk_weights\":" + weights + "}";
    }
}
