package io.moescope.platform.embedded;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** An embedded server could not start; the message says why, the action what to do about it. */
public class EmbeddedServerException extends RuntimeException {

    private static final String DEFAULT_ACTION = "Free the port or the data folder, or configure "
            + "spring.datasource.url / spring.kafka.bootstrap-servers to use your own servers.";

    private final String action;

    public EmbeddedServerException(String message, Throwable cause) {
        this(message, DEFAULT_ACTION, cause);
    }

    public EmbeddedServerException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }

    /**
     * The embedded {@code server}'s {@code folder} is held by a process still running ({@code holder} says which and
     * how that is known): another moescope on the same data dir, as a rule. serve's data dir lock ({@link DataDirLock})
     * keeps a second serve out before this; a moescope without it (an older release, a server started by hand) does
     * not.
     */
    static EmbeddedServerException folderHeld(String server, Path folder, String holder) {
        return new EmbeddedServerException("the embedded " + server + "'s data folder " + folder + " is in use by "
                + holder, "Stop that moescope (or whatever holds the folder) first, or give this one a data dir of its"
                + " own (MOESCOPE_DATA_DIR, or --moescope.data-dir).", null);
    }

    /** The embedded {@code server} may not use its folder in the data dir ({@code e} names it). */
    static EmbeddedServerException cannotUseDataFolder(String server, FileSystemException e) {
        return new EmbeddedServerException("the embedded " + server + " cannot use its data folder: " + e.getMessage()
                + " (" + e.getClass().getSimpleName() + ")", "Let this user read and write the data dir (moescope"
                + " makes it owner-only), or set moescope.data-dir (MOESCOPE_DATA_DIR) to a folder it may use.", e);
    }
}
