package io.moescope.traces.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** Routed experts as nested JSON lists {@code [[[id, ...], ...], ...]}: the array's {@code tolist()}. */
final class NestedLists {

    private NestedLists() {
    }

    /** @throws IllegalArgumentException naming the first element that breaks the {@code [rows, layers, k]} shape */
    static ExpertGrid grid(JsonNode rows, String path) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("\"" + path + "\" is empty");
        }
        int layers = array(rows.get(0), path + "[0]").size();
        int slots = layers == 0 ? 0 : array(rows.get(0).get(0), path + "[0][0]").size();
        if (layers == 0 || slots == 0) {
            throw new IllegalArgumentException("\"" + path + "[0]\" has no layers or no ids");
        }
        int[] ids = new int[Math.multiplyExact(Math.multiplyExact(rows.size(), layers), slots)];
        int next = 0;
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = sized(rows.get(r), path + "[" + r + "]", layers);
            for (int l = 0; l < layers; l++) {
                JsonNode layer = sized(row.get(l), path + "[" + r + "][" + l + "]", slots);
                for (int s = 0; s < slots; s++) {
                    JsonNode id = layer.get(s);
                    if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                        throw new IllegalArgumentException("\"" + path + "[" + r + "][" + l + "][" + s
                                + "]\" is not an integer: " + id);
                    }
                    ids[next++] = id.intValue();
                }
            }
        }
        return new ExpertGrid(rows.size(), layers, slots, ids);
    }

    private static JsonNode sized(JsonNode node, String path, int size) {
        if (array(node, path).size() != size) {
            throw new IllegalArgumentException("\"" + path + "\" has " + node.size() + " elements but the first has "
                    + size);
        }
        return node;
    }

    private static JsonNode array(JsonNode node, String path) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("\"" + path + "\" is not a list");
        }
        return node;
    }
}
