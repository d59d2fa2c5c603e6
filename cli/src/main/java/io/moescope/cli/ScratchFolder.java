package io.moescope.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a benchmark's scratch servers keep their data: a new folder, which the benchmark deletes afterwards. */
@FunctionalInterface
interface ScratchFolder {

    /** A new folder in the temp dir. */
    ScratchFolder TEMP = Files::createTempDirectory;

    Path create(String prefix) throws IOException;
}
