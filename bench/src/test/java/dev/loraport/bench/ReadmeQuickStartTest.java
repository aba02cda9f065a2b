package dev.loraport.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start compiles as printed, imports included, against the artifacts it tells users to add. */
@Tag("issue-13")
class ReadmeQuickStartTest {

    @TempDir
    Path dir;

    @Test
    void theQuickStartCompilesAsPrinted() throws IOException {
        String readme =
                Files.readString(Path.of("..", "README.md").toAbsolutePath().normalize());
        String start = readme.substring(readme.indexOf("## Quick start"));
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(start);
        assertThat(block.find()).as("a java block under Quick start").isTrue();
        String source = block.group(1);
        Matcher type = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(type.find()).as("the block declares a public class").isTrue();
        Path file = dir.resolve(type.group(1) + ".java");
        Files.writeString(file, source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        // Surefire runs tests from a manifest-only jar; it names the real class path in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        boolean ok = javac.getTask(
                        diagnostics,
                        null,
                        null,
                        List.of("-classpath", classPath, "-d", dir.toString(), "-proc:none", "-Xlint:none"),
                        null,
                        javac.getStandardFileManager(null, null, null).getJavaFileObjects(file.toFile()))
                .call();

        assertThat(ok).as(diagnostics.toString()).isTrue();
        assertThat(dir.resolve(type.group(1) + ".class").toFile()).exists();
    }
}
