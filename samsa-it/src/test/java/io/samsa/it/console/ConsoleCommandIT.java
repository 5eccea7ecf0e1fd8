package io.samsa.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.cli.SamsaCommand;
import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.Ports;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * {@code samsa console --bootstrap-server ... --http ...}: the console on its own HTTP listener, a plain Kafka client of
 * the cluster, driven in headless Chromium. Against an in-process Samsa broker by default, or, with
 * {@code -Dsamsa.it.reference=HOST:PORT}, against any Kafka-protocol broker such as Apache Kafka 4.3.1 started by
 * {@code reference-broker.sh} (the same test then shows the console works against Kafka).
 */
class ConsoleCommandIT {
    @TempDir
    Path dir;

    @Test
    void servesTheConsoleForAnyClusterOnItsOwnListener() throws Exception {
        HeadlessChromium.assumeInstalled();
        Optional<String> reference = Optional.ofNullable(System.getProperty("samsa.it.reference")).filter(s -> !s.isBlank());
        EmbeddedSamsa samsa = reference.isPresent() ? null : EmbeddedSamsa.start(dir.resolve("broker"));
        String bootstrap = reference.orElseGet(() -> samsa.bootstrapServers());
        int port = Ports.freePort();
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread console = new Thread(() -> exit.set(SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("console", "--bootstrap-server", bootstrap, "--http", "http://127.0.0.1:" + port)),
                "samsa-console-under-test");
        WebDriver browser = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // Given a topic with a keyed message and a group that committed nothing of it yet
            String topic = "console-cmd-" + System.nanoTime();
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, 1, "needle", "found me")).get();
                producer.send(new ProducerRecord<>(topic, 0, "hay", "not me")).get();
            }
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap, ConsumerConfig.GROUP_ID_CONFIG, topic + "-readers"), new StringDeserializer(),
                    new StringDeserializer())) {
                c.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0),
                        new TopicPartition(topic, 1), new OffsetAndMetadata(0)));
            }

            // When samsa console serves it
            console.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("Samsa console on http://"));
            String base = "http://127.0.0.1:" + port;
            browser = HeadlessChromium.start(dir.resolve("chromium-profile"));

            // Then every page loads without an error, and shows the cluster's data
            for (String path : List.of("/", "/topics", "/topics/" + topic, "/groups", "/groups/" + topic + "-readers",
                    "/acls", "/transactions", "/messages?topic=" + topic + "&mode=key&key=needle")) {
                browser.get(base + path);
                assertThat(browser.findElements(By.cssSelector(".notice.error"))).as(path).isEmpty();
                assertThat(browser.findElement(By.tagName("h1")).getText()).as(path).isNotBlank();
            }
            assertThat(browser.findElement(By.id("messages")).getText()).contains("found me").doesNotContain("not me");
            browser.get(base + "/groups/" + topic + "-readers");
            assertThat(browser.findElement(By.id("total-lag")).getText()).isEqualTo("2");
            HttpResponse<String> missing = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(base + "/no-such-page")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
        } finally {
            if (browser != null) {
                browser.quit();
            }
            console.interrupt();
            console.join(Duration.ofSeconds(30));
            if (samsa != null) {
                samsa.close();
            }
        }
        assertThat(exit.get()).isZero();
    }
}
