package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

class ApiRegistryTest {

    private static ApiHandler<?> handler(ApiKeys key, int oldest, int latest) {
        return TestHandlers.of(key, (short) oldest, (short) latest, (ctx, req) -> CompletableFuture.completedFuture(null));
    }

    @Test
    void apiVersionsIsBuiltInAndListsRegisteredRanges() {
        ApiRegistry registry = new ApiRegistry()
                .register(handler(ApiKeys.PRODUCE, ApiKeys.PRODUCE.oldestVersion(), ApiKeys.PRODUCE.latestVersion()))
                .register(handler(ApiKeys.FETCH, 4, 12));

        ApiVersionsResponseData data = registry.apiVersions();

        assertThat(data.apiKeys()).hasSize(5); // + ApiVersions, SaslHandshake, SaslAuthenticate (built in)
        assertThat(data.apiKeys().find(ApiKeys.SASL_HANDSHAKE.id).maxVersion()).isEqualTo((short) 1);
        assertThat(data.apiKeys().find(ApiKeys.SASL_AUTHENTICATE.id).maxVersion()).isEqualTo((short) 2);
        assertThat(data.apiKeys().find(ApiKeys.PRODUCE.id).minVersion()).isZero();
        assertThat(data.apiKeys().find(ApiKeys.FETCH.id).maxVersion()).isEqualTo((short) 12);
        assertThat(data.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion())
                .isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
        assertThat(data.finalizedFeaturesEpoch()).isEqualTo(-1L);
        assertThat(registry.handler(ApiKeys.API_VERSIONS)).isPresent();
        assertThat(registry.handler(ApiKeys.METADATA)).isEmpty();
        // Every call builds a fresh message (collections cannot be shared between messages).
        assertThat(registry.apiVersions()).isNotSameAs(data).isEqualTo(data);
    }

    @Test
    void featuresAreAdvertisedWhenConfigured() {
        ApiVersionsResponseData data = new ApiRegistry()
                .supportedFeature("metadata.version", (short) 7, (short) 27)
                .finalizedFeature("metadata.version", (short) 27, 5L)
                .apiVersions();

        assertThat(data.supportedFeatures().find("metadata.version").maxVersion()).isEqualTo((short) 27);
        assertThat(data.finalizedFeatures().find("metadata.version").maxVersionLevel()).isEqualTo((short) 27);
        assertThat(data.finalizedFeaturesEpoch()).isEqualTo(5L);
    }

    @Test
    void rejectsDuplicatesApiVersionsAndUnparseableRanges() {
        ApiRegistry registry = new ApiRegistry().register(handler(ApiKeys.METADATA, 0, 12));

        assertThatThrownBy(() -> registry.register(handler(ApiKeys.METADATA, 0, 12)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.register(handler(ApiKeys.API_VERSIONS, 0, 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.register(handler(ApiKeys.PRODUCE, 0, 9)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.register(handler(ApiKeys.FETCH, 4, 99)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.register(handler(ApiKeys.FETCH, 9, 8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
