package io.samsa.protocol;

import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;

/**
 * Counts a {@link FileRegion}'s bytes towards the channel's outbound buffer (Netty's default counts 0), so a
 * connection fetching from disk faster than the client reads becomes unwritable and stops being read.
 */
final class FileRegionSizeEstimator implements MessageSizeEstimator {

    static final FileRegionSizeEstimator INSTANCE = new FileRegionSizeEstimator();

    private final Handle fallback = DefaultMessageSizeEstimator.DEFAULT.newHandle();

    @Override
    public Handle newHandle() {
        return msg -> msg instanceof FileRegion region
                ? (int) Math.min(region.count() - region.transferred(), Integer.MAX_VALUE)
                : fallback.size(msg);
    }
}
