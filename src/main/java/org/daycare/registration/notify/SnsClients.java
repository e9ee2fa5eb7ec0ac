package org.daycare.registration.notify;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** Builds the SNS client: real AWS by default, or an emulator through an endpoint override. */
public final class SnsClients {

    private SnsClients() {
    }

    /**
     * @param endpoint  blank for AWS itself, else e.g. http://127.0.0.1:4566 for a local emulator
     * @param accessKey blank to use the AWS default credentials chain (environment, profile, instance role)
     * @param timeout   bound on one PublishBatch call, retries included, so a slow SNS never holds the drainer forever
     */
    public static SnsClient create(String region, String endpoint, String accessKey, String secretKey, Duration timeout) {
        AwsCredentialsProvider credentials = accessKey.isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        var builder = SnsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(config -> config.apiCallTimeout(timeout));
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }
}
