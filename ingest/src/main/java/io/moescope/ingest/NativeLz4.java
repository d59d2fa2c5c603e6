package io.moescope.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads lz4-java's JNI library, so that Kafka's lz4 decompression of fetched batches runs natively.
 *
 * <p>Kafka asks {@code LZ4Factory.fastestInstance()}, which tries the JNI library only when lz4-java was loaded by
 * the system class loader or its library is already loaded. In the Spring Boot jar it is neither, and every fetched
 * byte went through the pure-Java decompressor (11 % of a consumer thread's CPU in a JFR profile of
 * {@code moescope bench-ingest}). Loading the library first lets Kafka's later call pick it. It must come before
 * anything in the JVM touches lz4 through Kafka (an in-process broker validating produced batches, a producer),
 * because Kafka keeps the codec it got first in a static field: call it at the start of {@code main}. Reflection
 * because the library is Kafka's runtime dependency, in whichever version Kafka brings; where it has no build for
 * the platform, Kafka keeps the Java one.
 */
public final class NativeLz4 {

    private static final Logger log = LoggerFactory.getLogger(NativeLz4.class);

    private NativeLz4() {
    }

    /** @return whether the native library is loaded (and Kafka's lz4 codec will use it) */
    public static boolean load() {
        try {
            Class.forName("net.jpountz.lz4.LZ4Factory").getMethod("nativeInstance").invoke(null);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            log.info("lz4 stays on its Java implementation: {}", e.getCause() != null ? e.getCause() : e);
            return false;
        }
    }
}
