package io.samsa.cli;

/** The values of {@code --compression}: Kafka's {@code compression.type} names. */
enum Compression {
    none,
    gzip,
    snappy,
    lz4,
    zstd
}
