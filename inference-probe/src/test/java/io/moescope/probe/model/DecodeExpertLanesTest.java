package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moescope.traces.routing.SoftmaxTopK;
import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class DecodeExpertLanesTest {

    private static final int HIDDEN = 16;
    private static final int WIDTH = 24;
    private static final int EXPERTS = 8;

    @Test
    void aDecodeStepsExpertsOnParallelLanesGiveTheSameOutputToTheBitAsOneAfterAnother() {
        var random = new Random(20);
        var rule = new SoftmaxTopK(EXPERTS, 4, true);
        // two workers beside the calling thread: lanes take ranks {0, 3}, {1} and {2}
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (NDManager manager = NDManager.newBaseManager(MoeModel.ENGINE)) {
            var experts = new ArrayList<SwiGlu>();
            for (int e = 0; e < EXPERTS; e++) {
                experts.add(new SwiGlu(matrix(manager, HIDDEN, WIDTH, random), matrix(manager, HIDDEN, WIDTH, random),
                        matrix(manager, WIDTH, HIDDEN, random)));
            }
            var sparse = new FeedForward.Sparse(matrix(manager, HIDDEN, EXPERTS, random), null,
                    FeedForward.Experts.resident(experts), null, null, null);
            NDArray x = matrix(manager, 1, HIDDEN, random);
            try (NDManager step = manager.newSubManager()) {
                MoeBlock.Output inTurn = new MoeBlock(rule, null, 0).forward(step, x, sparse, 0, false);
                MoeBlock.Output sideBySide = new MoeBlock(rule, workers, 2).forward(step, x, sparse, 0, false);
                assertThat(sideBySide.routing().expertIds()).containsExactly(inTurn.routing().expertIds());
                assertThat(sideBySide.hidden().toFloatArray()).containsExactly(inTurn.hidden().toFloatArray());
            }
        } finally {
            workers.shutdown();
        }
    }

    private static NDArray matrix(NDManager manager, int rows, int cols, Random random) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return manager.create(v, new Shape(rows, cols));
    }
}
