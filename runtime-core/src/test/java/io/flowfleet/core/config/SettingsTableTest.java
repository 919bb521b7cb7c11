package io.flowfleet.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfleet.contract.SettingsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/runtime.md's variable table is the contract's, word for word (regenerate it from SettingsTable.markdown()). */
class SettingsTableTest {

    @Test
    void theDocsTableIsGeneratedFromTheContract() throws IOException {
        String doc = Files.readString(Path.of("../docs/runtime.md"));
        int begin = doc.indexOf(SettingsTable.BEGIN);
        int end = doc.indexOf(SettingsTable.END);
        assertThat(begin).as("docs/runtime.md has the table markers").isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String table = doc.substring(begin + SettingsTable.BEGIN.length(), end).strip() + "\n";
        assertThat(table).as("docs/runtime.md table; expected:\n" + SettingsTable.markdown()).isEqualTo(SettingsTable.markdown());
    }
}
