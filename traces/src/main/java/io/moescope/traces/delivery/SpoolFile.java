package io.moescope.traces.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only local file of records that could not be handed to Kafka yet, read back in order. Layout per
 * record: topic length (short), topic (UTF-8), key length (short), key, value length (int), value. Not thread-safe:
 * {@link DeliveryQueue} guards it with its lock.
 */
final class SpoolFile implements AutoCloseable {

    private final Path path;
    private FileChannel channel;
    private long readPosition;

    SpoolFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    void append(Envelope e) {
        byte[] topic = e.topic().getBytes(StandardCharsets.UTF_8);
        byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(2 + topic.length + 2 + key.length + 4 + e.value().length);
        buffer.putShort((short) topic.length).put(topic).putShort((short) key.length).put(key)
                .putInt(e.value().length).put(e.value()).flip();
        try {
            FileChannel c = open();
            long at = c.size();
            while (buffer.hasRemaining()) {
                at += c.write(buffer, at);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to the spool file " + path, ex);
        }
    }

    /**
     * Takes over what an earlier process left in this file (it stopped before Kafka had everything: killed, or the
     * broker away at its end): its records are read first, before any appended from now on. A record cut off by the
     * stop is dropped. Records that were delivered before the stop are sent again; ingest stores each once.
     *
     * @return the whole records left, and the bytes of a cut-off record dropped
     */
    Leftover recover() {
        try {
            if (!Files.isRegularFile(path) || Files.size(path) == 0) {
                return new Leftover(0, 0);
            }
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = channel.size();
            long records = 0;
            long at = 0;
            for (long end = recordEnd(at, size); end > 0; end = recordEnd(at, size)) {
                at = end;
                records++;
            }
            channel.truncate(at);
            return new Leftover(records, size - at);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the spool file " + path + " left by an earlier run", ex);
        }
    }

    /** Where the record at {@code at} ends, or -1 when the file ends inside it. */
    private long recordEnd(long at, long size) throws IOException {
        long end = at;
        for (int field = 0; field < 3 && end >= 0; field++) {
            int lengthBytes = field < 2 ? 2 : 4;
            if (end + lengthBytes > size) {
                return -1;
            }
            ByteBuffer length = ByteBuffer.allocate(lengthBytes);
            channel.read(length, end);
            long bytes = lengthBytes == 2 ? Short.toUnsignedInt(length.getShort(0)) : length.getInt(0);
            end = bytes < 0 || end + lengthBytes + bytes > size ? -1 : end + lengthBytes + bytes;
        }
        return end;
    }

    /** What an earlier process left in the file: whole records to send, and the bytes of one its stop cut off. */
    record Leftover(long records, long droppedBytes) {
    }

    /** Up to {@code max} records after the last one read; empty when all have been read. */
    List<Envelope> readNext(int max) {
        var records = new ArrayList<Envelope>();
        if (channel == null) {
            return records;
        }
        try {
            while (records.size() < max && readPosition < channel.size()) {
                String topic = new String(read(readShort()), StandardCharsets.UTF_8);
                String key = new String(read(readShort()), StandardCharsets.UTF_8);
                records.add(new Envelope(topic, key, read(readInt())));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the spool file " + path, ex);
        }
        return records;
    }

    /** Whether every appended record has been read. */
    boolean drained() {
        try {
            return channel == null || readPosition >= channel.size();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the spool file " + path, ex);
        }
    }

    /** Empties the file once everything in it was read, so it does not grow over a long run. */
    void reset() {
        try {
            if (channel != null) {
                channel.truncate(0);
            }
            readPosition = 0;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot truncate the spool file " + path, ex);
        }
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot close the spool file " + path, ex);
        }
    }

    /** Closes and deletes the file: called only when everything in it was delivered. */
    void delete() {
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot delete the spool file " + path, ex);
        }
    }

    private FileChannel open() throws IOException {
        if (channel == null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
        return channel;
    }

    private int readShort() throws IOException {
        return Short.toUnsignedInt(ByteBuffer.wrap(read(2)).getShort());
    }

    private int readInt() throws IOException {
        return ByteBuffer.wrap(read(4)).getInt();
    }

    private byte[] read(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, readPosition);
            if (n < 0) {
                throw new IOException("spool file " + path + " ends inside a record at byte " + readPosition);
            }
            readPosition += n;
        }
        return buffer.array();
    }
}
