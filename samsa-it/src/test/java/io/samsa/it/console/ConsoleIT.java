package io.samsa.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.Kcat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (Debian's headless Chromium through Selenium) against a real Samsa broker serving
 * it at {@code /} on its HTTP listener: every page loads, a lagging group shows its lag and chart, a message produced
 * by kcat is found by key, a topic is created and deleted through the forms. Screenshots of each page go to
 * {@code target/console-screenshots} (committed copies: {@code docs/console/}). The broker runs with the ACL
 * authorizer and {@code super.users=User:ANONYMOUS}, so the console (an anonymous client) can do everything and the
 * ACL page has ACLs to show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private Path dir;

    private EmbeddedSamsa samsa;
    private WebDriver browser;
    private String base;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        HeadlessChromium.assumeInstalled();
        dir = tempDir;
        samsa = EmbeddedSamsa.start(dir.resolve("broker"), Map.of("http.listeners", "http://127.0.0.1:0",
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:ANONYMOUS"));
        base = "http://127.0.0.1:" + samsa.broker().http().addresses().getFirst().getPort();
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (samsa != null) {
            samsa.close();
        }
    }

    @Test
    void everyPageLoadsAgainstARealBroker() throws Exception {
        // Given a topic with messages (JSON values), a transaction and ACLs
        samsa.createTopic("orders", 3, Map.of("retention.ms", "86400000"));
        try (KafkaProducer<String, String> producer = samsa.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "order-copier"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>("orders", i % 3, "order-" + i,
                        "{\"id\":" + i + ",\"item\":\"book\",\"qty\":" + (i + 1) + "}"));
            }
            producer.commitTransaction();
        }
        try (Admin admin = samsa.admin()) {
            admin.createAcls(List.of(
                    acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", AclOperation.READ),
                    acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", AclOperation.WRITE),
                    acl(ResourceType.GROUP, "billing-", PatternType.PREFIXED, "User:bob", AclOperation.READ)))
                    .all().get();
        }

        // When each page is opened; Then it shows its heading and content, with no error
        page("/", "Cluster", "01-cluster.png");
        assertThat(text("main")).contains("Brokers").contains("Metadata quorum").contains("Voters");
        page("/topics", "Topics", "02-topics.png");
        assertThat(browser.findElement(By.linkText("orders")).isDisplayed()).isTrue();
        page("/topics/orders", "Topic orders", "03-topic.png");
        assertThat(text("main")).contains("retention.ms").contains("86400000").contains("In-sync replicas");
        page("/messages?topic=orders&partition=0&mode=offset&offset=0&format=json", "Messages", "04-messages.png");
        assertThat(text("#messages")).contains("order-0").contains("\"item\": \"book\"");
        page("/groups", "Consumer groups", null);
        page("/acls", "ACLs", "07-acls.png");
        assertThat(text("#acls")).contains("User:alice").contains("billing-").contains("PREFIXED");
        page("/transactions", "Transactions", "08-transactions.png");
        assertThat(text("#transactions")).contains("order-copier").contains("CompleteCommit");
    }

    @Test
    void aLaggingGroupShowsItsLagAndChart() throws Exception {
        // Given 50 messages in each of 2 partitions and a group member that committed offsets 10 and 20
        samsa.createTopic("lagging", 2, Map.of());
        produce("lagging", 0, 50);
        produce("lagging", 1, 50);
        try (KafkaConsumer<String, String> member = samsa.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "slow-readers",
                ConsumerConfig.CLIENT_ID_CONFIG, "slow-reader-1"))) {
            member.subscribe(List.of("lagging"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                member.poll(Duration.ofMillis(100));
                return member.assignment().size() == 2;
            });
            member.commitSync(Map.of(new TopicPartition("lagging", 0), new OffsetAndMetadata(10),
                    new TopicPartition("lagging", 1), new OffsetAndMetadata(20)));

            // When the group's page is opened; Then the lag per partition and in total is shown, with the member
            page("/groups/slow-readers", "Group slow-readers", null);
            assertThat(text("#total-lag")).isEqualTo("70");
            assertThat(rowOf("#lag", "lagging", "0")).contains("40");
            assertThat(rowOf("#lag", "lagging", "1")).contains("30");
            assertThat(text("main")).contains("slow-reader-1");

            // When more messages arrive; Then the live chart follows (samples every 5 s while the page is viewed)
            produce("lagging", 0, 30);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get("/groups/slow-readers/lag.svg")).contains(">100</text>"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                browser.navigate().refresh();
                assertThat(text("#total-lag")).isEqualTo("100");
                assertThat(chartLoaded()).isTrue();
            });
            produce("lagging", 1, 40);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get("/groups/slow-readers/lag.svg")).contains(">140</text>"));
            browser.navigate().refresh();
            await().atMost(Duration.ofSeconds(10)).until(this::chartLoaded);
            HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("06-group-lag.png"));
        }
        page("/groups", "Consumer groups", "05-groups.png");
        assertThat(browser.findElement(By.linkText("slow-readers")).isDisplayed()).isTrue();

        // When the (now empty) group's offsets are reset to the latest through the form; Then its lag is 0
        page("/groups/slow-readers", "Group slow-readers", null);
        new Select(browser.findElement(By.name("to"))).selectByValue("latest");
        browser.findElement(By.xpath("//button[text()='Reset offsets']")).click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(text(".notice")).contains("Reset 2 partition offsets to latest"));
        assertThat(text("#total-lag")).isEqualTo("0");
    }

    @Test
    void aMessageProducedByKcatIsFoundByKey() throws Exception {
        // Given messages produced by kcat with keys, one value that is HTML
        Kcat.requireInstalled();
        samsa.createTopic("kcat-keys", 3, Map.of());
        String input = "user-1:first\nuser-2:{\"name\":\"<b>bold</b>\"}\nuser-3:third\nuser-2:second visit\n";
        Kcat.Result produced = Kcat.run(dir, input.getBytes(StandardCharsets.UTF_8),
                List.of("-b", samsa.bootstrapServers(), "-t", "kcat-keys", "-K", ":", "-P"));
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();

        // When the browser searches the topic by key through the form
        browser.get(base + "/messages");
        browser.findElement(By.name("topic")).sendKeys("kcat-keys");
        new Select(browser.findElement(By.name("mode"))).selectByValue("key");
        browser.findElement(By.name("key")).sendKeys("user-2");
        browser.findElement(By.xpath("//button[text()='Show messages']")).click();

        // Then exactly the two messages with that key are shown, the HTML value as text
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(browser.findElements(By.cssSelector("#messages tbody tr"))).hasSize(2));
        String table = text("#messages");
        assertThat(table).contains("{\"name\":\"<b>bold</b>\"}").contains("second visit")
                .doesNotContain("first").doesNotContain("third");
        assertThat(browser.findElements(By.cssSelector("#messages b"))).isEmpty();

        // And a search by timestamp from the epoch finds all four, oldest first
        browser.get(base + "/messages?topic=kcat-keys&mode=timestamp&timestamp=1970-01-01T00:00:00Z");
        assertThat(browser.findElements(By.cssSelector("#messages tbody tr"))).hasSize(4);

        // And a negative offset reads the last messages of a partition
        samsa.createTopic("tail", 1, Map.of());
        produce("tail", 0, 5);
        browser.get(base + "/messages?topic=tail&partition=0&mode=offset&offset=-2");
        assertThat(browser.findElements(By.cssSelector("#messages tbody tr"))).hasSize(2);
        assertThat(text("#messages")).contains("v3").contains("v4").doesNotContain("v2");

        // And the hex view shows the same key's bytes
        browser.get(base + "/messages?topic=kcat-keys&mode=key&key=user-2");
        new Select(browser.findElement(By.name("format"))).selectByValue("hex");
        browser.findElement(By.xpath("//button[text()='Show messages']")).click();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(text("#messages")).contains("75 73 65 72 2d 32"));
    }

    @Test
    void aTopicIsCreatedAndDeletedThroughTheForms() throws Exception {
        // When a topic is created through the topics page's form
        browser.get(base + "/topics");
        browser.findElement(By.name("name")).sendKeys("made-in-browser");
        WebElement partitions = browser.findElement(By.name("partitions"));
        partitions.clear();
        partitions.sendKeys("3");
        browser.findElement(By.xpath("//button[text()='Create topic']")).click();

        // Then the browser lands on the topic's page and the cluster has it with 3 partitions
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Topic made-in-browser"));
        try (Admin admin = samsa.admin()) {
            assertThat(admin.describeTopics(List.of("made-in-browser")).allTopicNames().get()
                    .get("made-in-browser").partitions()).hasSize(3);
        }

        // When a config is set and partitions are added through the topic page's forms; Then the cluster has them
        browser.findElement(By.name("key")).sendKeys("retention.ms");
        browser.findElement(By.name("value")).sendKeys("3600000");
        browser.findElement(By.xpath("//button[text()='Apply']")).click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(text(".notice")).contains("Set config retention.ms"));
        WebElement count = browser.findElement(By.name("count"));
        count.clear();
        count.sendKeys("5");
        browser.findElement(By.xpath("//button[text()='Add partitions']")).click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(text(".notice")).contains("Topic now has 5 partitions"));
        try (Admin admin = samsa.admin()) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "made-in-browser");
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
                    .isEqualTo("3600000");
            assertThat(admin.describeTopics(List.of("made-in-browser")).allTopicNames().get()
                    .get("made-in-browser").partitions()).hasSize(5);
        }

        // When fewer partitions are asked for; Then Kafka's error is shown and nothing changes
        count = browser.findElement(By.name("count"));
        count.clear();
        count.sendKeys("2");
        browser.findElement(By.xpath("//button[text()='Add partitions']")).click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(text(".notice.error")).contains("InvalidPartitions"));

        // When the delete link is followed and a wrong name typed; Then nothing is deleted
        browser.findElement(By.partialLinkText("Delete topic made-in-browser")).click();
        browser.findElement(By.name("confirm")).sendKeys("made-in-browsr");
        browser.findElement(By.xpath("//button[text()='Delete topic']")).click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(text(".notice")).contains("does not match"));
        try (Admin admin = samsa.admin()) {
            assertThat(admin.listTopics().names().get()).contains("made-in-browser");
        }
        HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("09-delete-confirmation.png"));

        // When the name is typed right; Then the topic is gone
        browser.findElement(By.name("confirm")).sendKeys("made-in-browser");
        browser.findElement(By.xpath("//button[text()='Delete topic']")).click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(text(".notice")).contains("Deleted topic made-in-browser"));
        try (Admin admin = samsa.admin()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(admin.listTopics().names().get()).doesNotContain("made-in-browser"));
        }
    }

    @Test
    void browsingAMissingTopicOrPartitionSaysSoAndCreatesNothing() throws Exception {
        browser.get(base + "/messages?topic=no-such-topic&mode=key&key=k");
        assertThat(text(".notice.error")).contains("Topic no-such-topic not found");
        samsa.createTopic("one-partition", 1, Map.of());
        browser.get(base + "/messages?topic=one-partition&partition=7&mode=offset");
        assertThat(text(".notice.error")).contains("Topic one-partition has no partition 7");
        try (Admin admin = samsa.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("no-such-topic");
        }
    }

    @Test
    void aPostWithoutTheFormsTokenIsRefused() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/topics"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=forged&partitions=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        try (Admin admin = samsa.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("forged");
        }
    }

    @Test
    void aRequestForAnotherHostNameIsRefusedOnTheLoopback() throws Exception {
        // a page whose DNS name was rebound to 127.0.0.1 sends its own name as the Host: it must not read the console
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", URI.create(base).getPort())) {
            socket.getOutputStream().write(("GET /topics HTTP/1.1\r\nHost: evil.example:" + URI.create(base).getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 403").doesNotContain("name=\"csrf\"");
        }
    }

    private void page(String path, String heading, String screenshot) throws Exception {
        browser.get(base + path);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(heading);
        assertThat(browser.findElements(By.cssSelector(".notice.error"))).as("error notice on " + path).isEmpty();
        if (screenshot != null) {
            HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve(screenshot));
        }
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private String rowOf(String table, String... cells) {
        for (WebElement row : browser.findElements(By.cssSelector(table + " tbody tr"))) {
            List<String> texts = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
            if (texts.containsAll(Set.of(cells))) {
                return String.join(" | ", texts);
            }
        }
        throw new AssertionError("no row with " + List.of(cells) + " in " + text(table));
    }

    private boolean chartLoaded() {
        Object width = ((JavascriptExecutor) browser).executeScript(
                "var i=document.getElementById('lag-chart');return i.complete?i.naturalWidth:0;");
        return ((Number) width).longValue() > 0;
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void produce(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<String, String> producer = samsa.producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
