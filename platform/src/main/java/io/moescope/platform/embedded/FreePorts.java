package io.moescope.platform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.IntSupplier;

/** Port checks for the embedded servers, so that a taken port is reported by name instead of as a bind error. */
final class FreePorts {

    private FreePorts() {
    }

    static int pick() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /**
     * A port from {@code picker} other than {@code taken}. A port picked free is free again once its probe socket is
     * closed, so two picks in a row can give the same port (it happened in CI: the broker refused "Each listener must
     * have a different port" for its client and controller listeners).
     */
    static int otherThan(int taken, IntSupplier picker) {
        int port = picker.getAsInt();
        while (port == taken) {
            port = picker.getAsInt();
        }
        return port;
    }

    static void requireFree(int port, String server, String property) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new EmbeddedServerException("port " + port + " for the embedded " + server + " is already in use",
                    "Stop what listens on port " + port + ", set " + property + " to another port (0 = any free port),"
                            + " or point moescope at your own server.", e);
        }
    }
}
