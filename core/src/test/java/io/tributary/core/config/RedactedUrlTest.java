package io.tributary.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactedUrlTest {
    @Test
    void credentialsInUserInfoPathAndQueryAreHidden() {
        assertThat(RedactedUrl.of("https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef"))
                .isEqualTo("https://mainnet.infura.io/***");
        assertThat(RedactedUrl.of("https://user:s3cret@rpc.example.org:8545/")).isEqualTo("https://***@rpc.example.org:8545/");
        assertThat(RedactedUrl.of("https://rpc.example.org?apikey=s3cret")).isEqualTo("https://rpc.example.org?***");
        assertThat(RedactedUrl.of("not a url with s3cret")).isEqualTo("***");
        assertThat(RedactedUrl.hidesSomething("https://eth.example.org/v2/key")).isTrue();
    }

    @Test
    void aLocalNodeUrlIsUnchanged() {
        assertThat(RedactedUrl.of("http://127.0.0.1:8545")).isEqualTo("http://127.0.0.1:8545");
        assertThat(RedactedUrl.hidesSomething("http://127.0.0.1:8545")).isFalse();
    }
}
