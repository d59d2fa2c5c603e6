package io.moescope.probe.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op threads: the native threads that split one operation's work. They are invisible to the JVM's
 * per-thread CPU accounting, so a measurement of CPU time per decode step pins them to 1 (all maths then runs on
 * the calling thread) and says so. The setting holds for the whole process.
 */
public final class EngineThreads {

    private EngineThreads() {
    }

    /** Starts the engine if needed, sets its intra-op threads and returns the count it reports back. */
    public static int setIntraOp(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1 but was " + threads);
        }
        Engine.getEngine(MoeModel.ENGINE);
        JniUtils.setNumThreads(threads);
        return intraOp();
    }

    /** The engine's intra-op threads now (starting the engine if needed). */
    public static int intraOp() {
        Engine.getEngine(MoeModel.ENGINE);
        return JniUtils.getNumThreads();
    }
}
