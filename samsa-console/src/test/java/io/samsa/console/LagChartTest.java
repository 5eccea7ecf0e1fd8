package io.samsa.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LagChartTest {
    @Test
    void drawsTotalAndPartitionLinesAndEscapesNames() {
        TopicPartition tp = new TopicPartition("<t>", 0);
        List<LagHistory.Sample> samples = List.of(new LagHistory.Sample(1_000, Map.of(tp, 10L)),
                new LagHistory.Sample(6_000, Map.of(tp, 40L)));
        String svg = LagChart.svg("g&1", samples, 6_000);
        assertThat(svg).startsWith("<svg").contains("g&amp;1").contains("&lt;t&gt;-0").doesNotContain("<t>")
                .contains("polyline").contains(">40<");
    }

    @Test
    void saysSoWithoutSamples() {
        assertThat(LagChart.svg("g", List.of(), 0)).contains("No samples yet");
    }
}
