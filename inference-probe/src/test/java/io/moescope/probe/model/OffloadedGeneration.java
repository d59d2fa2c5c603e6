package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: the process {@link OffloadingBeyondMemoryTest} forks with a small heap. Generates greedily from an
 * offloaded checkpoint and prints what the offloading accounting and the kernel saw, one {@code name=value} a line:
 * {@code java ... OffloadedGeneration CHECKPOINT_DIR CAPACITY NEW_TOKENS}.
 */
public final class OffloadedGeneration {

    /**
     * Runs this class in a JVM with a {@code heapMib} MiB heap on the checkpoint in {@code dir}; its name=value lines.
     * Used by the offloading tests, which check the figures against the checkpoint's expert sizes.
     */
    static Map<String, Long> fork(Path dir, int capacity, int newTokens, int heapMib)
            throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The whole heap committed and touched up front: its growth is not mistaken for expert weights.
                "-Xms" + heapMib + "m", "-Xmx" + heapMib + "m", "-XX:+AlwaysPreTouch", "-cp",
                System.getProperty("java.class.path")));
        for (String property : List.of("ai.djl.offline", "ai.djl.pytorch.num_threads",
                "ai.djl.pytorch.num_interop_threads", "DJL_CACHE_DIR")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of(OffloadedGeneration.class.getName(), dir.toString(), String.valueOf(capacity),
                String.valueOf(newTokens)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read to the end before waiting, so that a chatty child never blocks on a full pipe.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        var figures = new HashMap<String, Long>();
        output.lines().filter(l -> l.matches("\\w+=\\d+")).forEach(l -> figures.put(l.substring(0, l.indexOf('=')),
                Long.parseLong(l.substring(l.indexOf('=') + 1))));
        return figures;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int capacity = Integer.parseInt(args[1]);
        int newTokens = Integer.parseInt(args[2]);
        var loaded = new HashSet<String>();
        long misses;
        long peak;
        long anonymousAtLoad;
        long anonymousPeak;
        int generated = 0;
        try (var checkpoint = MoeCheckpoint.open(dir);
             var model = MoeModel.load(checkpoint, new Offloading(capacity, CachePolicy.LRU, x -> {
                 if (!x.hit()) {
                     loaded.add(x.layer() + "/" + x.expert());
                 }
             }));
             var sequence = model.newSequence()) {
            anonymousAtLoad = anonymousResidentBytes();
            anonymousPeak = anonymousAtLoad;
            ForwardResult result = sequence.forward(MoeModelTest.tokens(
                    "a prompt long enough to route its tokens to most of the experts of every layer, twice over"));
            while (generated < newTokens) {
                result = sequence.forward(new int[] {result.argmax()});
                generated++;
                anonymousPeak = Math.max(anonymousPeak, anonymousResidentBytes());
            }
            ExpertCache cache = model.expertCache().orElseThrow();
            misses = cache.misses();
            peak = cache.peakResidentBytes();
        }
        System.out.println("generatedTokens=" + generated);
        System.out.println("distinctExpertsLoaded=" + loaded.size());
        System.out.println("misses=" + misses);
        System.out.println("peakResidentExpertBytes=" + peak);
        System.out.println("maxHeapBytes=" + Runtime.getRuntime().maxMemory());
        System.out.println("anonymousAtLoadBytes=" + anonymousAtLoad);
        System.out.println("anonymousPeakBytes=" + anonymousPeak);
        System.out.println("VmHWMBytes=" + procStatusBytes("VmHWM:"));
    }

    /**
     * Memory of this process that no file backs (heap, native tensors), from the kernel. The checkpoint's mapped pages
     * are file-backed: the kernel can drop them, so they do not count against what must fit.
     */
    private static long anonymousResidentBytes() throws IOException {
        return procStatusBytes("RssAnon:");
    }

    private static long procStatusBytes(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.split("\\s+")[1]) * 1024;
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }
}
