package org.daycare.registration.admin;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin token: generated (daycare.admin.token empty) into data/admin-token, a file only the service's user can
 * read from the moment it exists, whose content is the token the admin endpoints admit; or configured, and then at
 * least 16 characters long, or the service does not start.
 */
class AdminTokenTest {

    private static final String EARLIER_TOKEN = "the-token-of-an-earlier-run";

    @TempDir
    Path dataDir;

    @Test
    void theGeneratedTokenFileIsOwnerOnlyAndHoldsTheTokenTheAdminEndpointsAdmit() throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir, Map.of("daycare.admin.token", ""))) {
            Path file = dataDir.resolve("admin-token");

            assertThat(file).isRegularFile();
            assertThat(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            String token = Files.readString(file).strip();
            assertThat(token).hasSizeGreaterThanOrEqualTo(AdminToken.MIN_CONFIGURED_LENGTH);
            assertThat(capacityStatus(app, token)).isEqualTo(200);
            assertThat(capacityStatus(app, token + "x")).isEqualTo(401);
            assertThat(capacityStatus(app, RunningApplication.ADMIN_TOKEN)).as("no configured token is in force").isEqualTo(401);
        }
    }

    @Test
    void anEarlierTokenFileIsReplacedNeverWrittenInto() throws Exception {
        // left by an earlier run, readable by everyone, and opened by someone while it was
        Path file = dataDir.resolve("admin-token");
        Files.writeString(file, EARLIER_TOKEN + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        try (FileChannel heldOpen = FileChannel.open(file, StandardOpenOption.READ);
             RunningApplication app = RunningApplication.start(dataDir, Map.of("daycare.admin.token", ""))) {
            String token = Files.readString(file).strip();

            assertThat(token).isNotEqualTo(EARLIER_TOKEN);
            assertThat(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(capacityStatus(app, token)).isEqualTo(200);
            assertThat(capacityStatus(app, EARLIER_TOKEN)).isEqualTo(401);
            // the one who held the earlier file open reads what it held, never the new token
            ByteBuffer held = ByteBuffer.allocate(4096);
            heldOpen.read(held, 0);
            assertThat(new String(held.array(), 0, held.position(), StandardCharsets.UTF_8))
                    .isEqualTo(EARLIER_TOKEN + "\n").doesNotContain(token);
            try (var siblings = Files.list(dataDir)) {
                assertThat(siblings.map(p -> p.getFileName().toString())).as("no temporary file left beside it")
                        .noneMatch(name -> name.contains("admin-token-"));
            }
        }
    }

    @Test
    void aConfiguredTokenOfSixteenCharactersIsAdmitted() throws Exception {
        String sixteen = "0123456789abcdef";
        try (RunningApplication app = RunningApplication.start(dataDir, Map.of("daycare.admin.token", sixteen))) {
            assertThat(capacityStatus(app, sixteen)).isEqualTo(200);
            assertThat(dataDir.resolve("admin-token")).as("nothing generated").doesNotExist();
        }
    }

    @Test
    void aConfiguredTokenShorterThanSixteenCharactersStopsStartUpSayingWhy() {
        String fifteen = "0123456789abcde";

        assertThatThrownBy(() -> RunningApplication.start(dataDir, Map.of("daycare.admin.token", " " + fifteen + " ")).close())
                .satisfies(refused -> {
                    List<String> messages = new ArrayList<>();
                    for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
                        messages.add(String.valueOf(cause.getMessage()));
                    }
                    assertThat(messages).anySatisfy(message -> assertThat(message)
                            .contains("daycare.admin.token is 15 characters long")
                            .contains("at least 16")
                            .contains("can be guessed"));
                    assertThat(messages).as("the token itself is not told").noneMatch(message -> message.contains(fifteen));
                });
        assertThat(dataDir.resolve("admin-token")).as("nothing generated instead").doesNotExist();
    }

    private static int capacityStatus(RunningApplication app, String token) {
        return app.send(HttpRequest.newBuilder(app.uri("/capacity")).header("Authorization", "Bearer " + token).GET())
                .statusCode();
    }
}
