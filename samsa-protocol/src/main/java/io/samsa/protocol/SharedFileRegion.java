package io.samsa.protocol;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A file region over a {@link FileChannel} owned by someone else (the log segment). {@link DefaultFileRegion}
 * closes its channel when released; this one leaves it open, so sending a fetch response never closes the log.
 * The owner must keep the channel open until the write completes (a closed channel fails the write and the
 * connection).
 */
final class SharedFileRegion extends DefaultFileRegion {

    SharedFileRegion(FileChannel file, long position, long count) {
        super(file, position, count);
    }

    @Override
    protected void deallocate() {
        // The log owns the file channel.
    }
}
