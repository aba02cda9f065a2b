package dev.loraport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the README compiles, so none can rot. A block is a whole compilation unit unless
 * an HTML comment just above it says otherwise: {@code <!-- snippet: members -->} (fields or methods of a class) or
 * {@code <!-- snippet: body; Type name, ... -->} (statements, with the variables they use as parameters). Fragments
 * get the project's packages imported. A failure names the README line of the error.
 */
class ReadmeSnippetsTest {

    private static final Pattern BLOCK =
            Pattern.compile("(?:<!-- snippet: ([^>]*?) -->\\n)?```java\\n(.*?)```", Pattern.DOTALL);

    private static final String IMPORTS = String.join(
            "\n",
            "import dev.loraport.*;",
            "import dev.loraport.decorators.*;",
            "import dev.loraport.watch.*;",
            "import dev.loraport.simulators.*;",
            "import dev.loraport.testkit.*;",
            "import dev.loraport.store.postgres.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import java.util.List;",
            "import java.util.Map;",
            "import org.junit.jupiter.api.extension.RegisterExtension;",
            "");

    @TempDir
    Path classes;

    record Snippet(int readmeLine, String kind, String code) {}

    @Test
    void everyJavaBlockOfTheReadmeCompiles() throws IOException {
        List<Snippet> snippets = snippets(Files.readString(Path.of("..", "README.md")));
        assertThat(snippets).as("java blocks in README.md").hasSizeGreaterThanOrEqualTo(3);
        // The PostgreSQL snippet needs loraport-store-postgres, a test dependency for this test alone.
        assertThat(dev.loraport.store.postgres.PostgresTaskStore.class).isNotNull();
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (Snippet s : snippets) {
            failures.addAll(compile(s, "Snippet" + (++n)));
        }
        assertThat(failures).as("README.md snippets that do not compile").isEmpty();
    }

    @Test
    void aBrokenSnippetIsReportedWithItsReadmeLine() {
        List<String> failures = compile(new Snippet(40, "body", "int x = \"not a number\";\n"), "Broken");
        assertThat(failures).singleElement().asString().startsWith("README.md:40:");
    }

    static List<Snippet> snippets(String readme) {
        List<Snippet> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            // The line after the ```java fence, 1-based.
            int fence = readme.substring(0, m.start(2)).split("\n", -1).length;
            out.add(new Snippet(fence, m.group(1) == null ? "unit" : m.group(1).trim(), m.group(2)));
        }
        return out;
    }

    private List<String> compile(Snippet s, String name) {
        String kind = s.kind().toLowerCase(Locale.ROOT);
        String source;
        String className;
        int offset; // lines before the snippet's first line in the generated source
        if (kind.equals("unit")) {
            Matcher type = Pattern.compile("public (?:final )?(?:class|record|interface) (\\w+)")
                    .matcher(s.code());
            className = type.find() ? type.group(1) : name;
            source = s.code();
            offset = 0;
        } else if (kind.equals("members")) {
            className = name;
            String head = IMPORTS + "class " + name + " {\n";
            source = head + s.code() + "}\n";
            offset = lines(head);
        } else if (kind.startsWith("body")) {
            className = name;
            String params = kind.contains(";")
                    ? s.kind().substring(s.kind().indexOf(';') + 1).trim()
                    : "";
            String head = IMPORTS + "class " + name + " {\n    void snippet(" + params + ") throws Exception {\n";
            source = head + s.code() + "    }\n}\n";
            offset = lines(head);
        } else {
            return List.of("README.md:" + s.readmeLine() + ": unknown snippet kind '" + s.kind()
                    + "'; allowed: members, body; PARAMS, or no marker for a whole compilation unit");
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            JavaFileObject unit =
                    new SimpleJavaFileObject(
                            URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return source;
                        }
                    };
            boolean ok = javac.getTask(
                            null,
                            files,
                            diagnostics,
                            List.of("-classpath", classPath, "-d", classes.toString(), "-proc:none"),
                            null,
                            List.of(unit))
                    .call();
            List<String> out = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    long line = s.readmeLine() + (d.getLineNumber() - 1 - offset);
                    out.add("README.md:" + line + ": " + d.getMessage(Locale.ROOT));
                }
            }
            if (!ok && out.isEmpty()) {
                out.add("README.md:" + s.readmeLine() + ": does not compile");
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int lines(String text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }
}
