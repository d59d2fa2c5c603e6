package io.moescope.platform.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One moescope per data dir: held for as long as the embedded servers run on it. The operating system releases the
 * lock when the process ends, however it ends, so a lock that can be taken proves that no moescope is using the
 * data dir, and anything an earlier one left running there (see {@link LeftoverPostgres}) is an orphan.
 */
public final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = "moescope.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws EmbeddedServerException naming the data dir and the process holding it, when another one does */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        PrivateFolders.ownerOnly(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.US_ASCII).strip();
            channel.close();
            throw new EmbeddedServerException("another moescope (pid " + (holder.isEmpty() ? "unknown" : holder)
                    + ") is already running on the data dir " + dataDir,
                    "Stop that one first, or give this one a data dir of its own (MOESCOPE_DATA_DIR, or "
                            + "--moescope.data-dir).", null);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
