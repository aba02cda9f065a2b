package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps third-party types out of the public API, so users never depend on our HTTP or JSON choices. */
class PublicApiTest {

    private static final List<String> FORBIDDEN =
            List.of("com.fasterxml.jackson", "retrofit2", "okhttp3", "okio", "io.github.resilience4j", "io.micrometer");

    @Test
    void noThirdPartyTypeInAnyPublicSignature() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicApiClasses()) {
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers())) {
                    check(type, m, m.getGenericReturnType(), leaks);
                    checkExecutable(type, m, leaks);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    checkExecutable(type, c, leaks);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(type, f, f.getGenericType(), leaks);
                }
            }
            check(type, type, type.getGenericSuperclass(), leaks);
            for (Type i : type.getGenericInterfaces()) {
                check(type, type, i, leaks);
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void theScanSeesTheApi() throws Exception {
        assertThat(publicApiClasses()).contains(TrainingProvider.class, dev.loraport.spi.TrainingProviderFactory.class);
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void checkExecutable(Class<?> owner, Executable e, List<String> leaks) {
        for (Type p : e.getGenericParameterTypes()) {
            check(owner, e, p, leaks);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(owner, e, x, leaks);
        }
    }

    private static void check(Class<?> owner, Object member, Type type, List<String> leaks) {
        if (type == null) {
            return;
        }
        String name = type.getTypeName();
        for (String prefix : FORBIDDEN) {
            if (name.contains(prefix)) {
                leaks.add(owner.getName() + " " + member + " exposes " + name);
            }
        }
    }

    static List<Class<?>> publicApiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(TrainingProvider.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!rel.endsWith(".class") || rel.contains("/internal/") || rel.endsWith("package-info.class")) {
                    continue;
                }
                Class<?> c = Class.forName(
                        rel.substring(0, rel.length() - ".class".length()).replace('/', '.'));
                if (Modifier.isPublic(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
