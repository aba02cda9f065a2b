package dev.loraport.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {

    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of(
                "LORAPORT_HOME", dir.resolve("lp").toString(),
                "XDG_STATE_HOME", dir.resolve("state").toString(),
                "HOME", dir.resolve("home").toString());
    }

    @Test
    void theDefaultFolderIsLoraportHomeThenXdgStateHomeThenHomeLocalState() {
        assertThat(LocalStore.choose(null, null, false, env()).file()).isEqualTo(dir.resolve("lp/jobs.txt"));

        Map<String, String> noHome = Map.of(
                "XDG_STATE_HOME", dir.resolve("state").toString(),
                "HOME", dir.resolve("home").toString());
        assertThat(LocalStore.choose(null, null, false, noHome).file())
                .isEqualTo(dir.resolve("state/loraport/jobs.txt"));

        // A relative XDG_STATE_HOME is invalid by the spec and skipped.
        Map<String, String> relativeState =
                Map.of("XDG_STATE_HOME", "state", "HOME", dir.resolve("home").toString());
        LocalStore.Choice fromHome = LocalStore.choose(null, null, false, relativeState);
        assertThat(fromHome.file()).isEqualTo(dir.resolve("home/.local/state/loraport/jobs.txt"));
        assertThat(fromHome.source()).isEqualTo("HOME");
    }

    @Test
    void theFlagOverridesTheKeyWhichOverridesTheDefault() {
        Path flag = dir.resolve("flag.txt");
        Path key = dir.resolve("key.txt");

        assertThat(LocalStore.choose(flag.toString(), key.toString(), false, env())
                        .file())
                .isEqualTo(flag);
        assertThat(LocalStore.choose(null, key.toString(), false, env()).file()).isEqualTo(key);
        assertThat(LocalStore.choose(null, key.toString(), false, env()).source())
                .isEqualTo("loraport.store.path");
    }

    @Test
    void noneKeepsJobsInMemoryWhereverItIsGiven() {
        Path key = dir.resolve("key.txt");

        assertThat(LocalStore.choose("none", key.toString(), false, env()).file())
                .isNull();
        assertThat(LocalStore.choose(" NONE ", null, false, env()).file()).isNull();
        assertThat(LocalStore.choose(null, "none", false, env()).file()).isNull();
    }

    @Test
    void aFolderGivenAsTheStoreHoldsJobsTxt() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("jobs"));

        assertThat(LocalStore.choose(folder.toString(), null, false, env()).file())
                .isEqualTo(folder.resolve("jobs.txt"));
    }

    @Test
    void aSimulatorGetsMemoryUnlessAStoreIsNamed() {
        assertThat(LocalStore.choose(null, null, true, env()).file()).isNull();

        Path flag = dir.resolve("flag.txt");
        assertThat(LocalStore.choose(flag.toString(), null, true, env()).file()).isEqualTo(flag);
    }

    @Test
    void anEnvironmentWithoutAnyHomeGetsMemoryNotTheProcessHome() {
        // Never System.getProperty("user.home"): a test (or a bare container) that names no folder writes nowhere.
        assertThat(LocalStore.choose(null, null, false, Map.of()).file()).isNull();
    }

    @Test
    void aBlankStoreIsAUsageError() {
        assertThatThrownBy(() -> LocalStore.choose(" ", null, false, env()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--store: blank");
    }
}
