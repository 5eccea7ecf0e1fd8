package io.samsa.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code samsa dump-log FILE...}: prints the record batches of {@code .log} segment files, offline (no broker), like
 * Kafka's {@code kafka-dump-log --files}. Per batch: base and last offset, record count, whether the CRC is valid,
 * codec, producer id/epoch/base sequence, transactional and control flags, timestamp type and max timestamp, the
 * KIP-534 delete horizon, position and size. {@code --print-records} adds each record's offset, timestamp, key, value
 * and headers (UTF-8, or hex with {@code --hex}).
 *
 * <p>Exit code 1 with one line on stderr for a missing, unreadable or corrupt file (batches before the corruption are
 * printed first).
 */
@Command(name = "dump-log", mixinStandardHelpOptions = true,
        description = "Print the record batches of .log segment files (offline, like kafka-dump-log).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa dump-log samsa-data/events-0/00000000000000000000.log",
            "  samsa dump-log samsa-data/events-0/00000000000000000000.log --print-records \\",
            "      --hex"
        })
final class DumpLogCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Segment files (NNNNNNNNNNNNNNNNNNNN.log).")
    List<Path> files;

    @Option(names = "--print-records", description = "Print every record, not only batch headers.")
    boolean printRecords;

    @Option(names = "--hex", description = "Print keys, values and header values in hex instead of UTF-8.")
    boolean hex;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new CliException(file + ": no such file");
            }
            if (!file.getFileName().toString().contains(".log")) {
                throw new CliException(file + ": not a log segment (.log) file");
            }
            dump(file.toFile(), out);
        }
        return 0;
    }

    private void dump(File file, PrintWriter out) {
        out.println("Dumping " + file);
        long batches = 0;
        long records = 0;
        int position = 0;
        try (FileRecords log = FileRecords.open(file, false)) {
            for (FileChannelRecordBatch batch : log.batches()) {
                out.println(describe(batch, position));
                batches++;
                records += batch.countOrNull() == null ? 0 : batch.countOrNull();
                if (printRecords) {
                    for (Record record : batch) {
                        out.println(describe(record, batch.timestampType().toString()));
                    }
                }
                position += batch.sizeInBytes();
            }
            out.println("Summary: " + batches + " batches, " + records + " records, " + position + " bytes");
        } catch (IOException | KafkaException e) {
            out.flush();
            throw new CliException(file + ": corrupt or unreadable at position " + position + ": " + e.getMessage(),
                    SamsaCommand.EXIT_FAILURE, e);
        }
    }

    private static String describe(FileChannelRecordBatch batch, int position) {
        return "baseOffset: " + batch.baseOffset() + " lastOffset: " + batch.lastOffset()
                + " count: " + batch.countOrNull()
                + " baseSequence: " + batch.baseSequence() + " lastSequence: " + batch.lastSequence()
                + " producerId: " + batch.producerId() + " producerEpoch: " + batch.producerEpoch()
                + " partitionLeaderEpoch: " + batch.partitionLeaderEpoch()
                + " isTransactional: " + batch.isTransactional() + " isControl: " + batch.isControlBatch()
                + " deleteHorizonMs: " + (batch.deleteHorizonMs().isPresent() ? batch.deleteHorizonMs().getAsLong() : -1)
                + " position: " + position + " " + batch.timestampType() + ": " + batch.maxTimestamp()
                + " size: " + batch.sizeInBytes() + " magic: " + batch.magic()
                + " compresscodec: " + batch.compressionType().name + " crc: " + batch.checksum()
                + " isvalid: " + batch.isValid();
    }

    private String describe(Record record, String timestampType) {
        StringBuilder line = new StringBuilder("| offset: ").append(record.offset()).append(' ')
                .append(timestampType).append(": ").append(record.timestamp())
                .append(" keySize: ").append(record.keySize()).append(" valueSize: ").append(record.valueSize())
                .append(" sequence: ").append(record.sequence())
                .append(" key: ").append(text(record.key()))
                .append(" value: ").append(text(record.value()))
                .append(" headers: [");
        Header[] headers = record.headers();
        for (int i = 0; i < headers.length; i++) {
            line.append(i == 0 ? "" : ", ").append(headers[i].key()).append('=')
                    .append(headers[i].value() == null ? "null" : text(ByteBuffer.wrap(headers[i].value())));
        }
        return line.append(']').toString();
    }

    /** UTF-8 (hex when not valid UTF-8), or hex with {@code --hex}; "null" for a null key or value. */
    private String text(ByteBuffer bytes) {
        if (bytes == null) {
            return "null";
        }
        if (!hex) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.duplicate()).toString();
            } catch (CharacterCodingException e) {
                // not text: fall through to hex
            }
        }
        StringBuilder hexText = new StringBuilder("0x");
        ByteBuffer b = bytes.duplicate();
        while (b.hasRemaining()) {
            hexText.append(String.format("%02x", b.get()));
        }
        return hexText.toString();
    }
}
