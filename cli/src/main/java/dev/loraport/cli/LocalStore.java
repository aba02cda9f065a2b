package dev.loraport.cli;

import dev.loraport.watch.TaskStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the command keeps the jobs this machine knows: the create journal (so a rerun with the same client reference
 * finds the job it made) and the refs that {@code list --local}, {@code status} and {@code wait} read. One text file
 * ({@link TaskStore#file}) chosen in this order: {@code --store}, then {@code loraport.store.path} (config file or
 * {@code LORAPORT_STORE_PATH}), then {@value #FILE} in a per-user state folder. {@value #NONE} for either keeps the
 * jobs in memory, as before the command had a store.
 */
final class LocalStore {

    /** The file in the default folder. */
    static final String FILE = "jobs.txt";

    /** Chooses no file: the jobs live in memory and end with the command. */
    static final String NONE = "none";

    /** One line for {@code --help}: where the default is, and how to change it. */
    static final String HELP = "file of the jobs this machine knows; default $LORAPORT_HOME/" + FILE
            + ", else $XDG_STATE_HOME/loraport/" + FILE + ", else ~/.local/state/loraport/" + FILE
            + " (overrides loraport.store.path; " + NONE + " keeps jobs in memory). Simulators keep jobs in "
            + "memory unless this or loraport.store.path names a file.";

    private LocalStore() {}

    /**
     * The chosen file, or none, and what chose it, for messages such as {@code list --local}'s footer.
     *
     * @param file the store file, or null for memory only
     * @param source what chose it: a flag, a key or an environment variable
     */
    record Choice(@Nullable Path file, String source) {}

    /**
     * Picks the store file.
     *
     * @param flag the {@code --store} value, or null
     * @param configured {@code loraport.store.path}, or null
     * @param simulator whether the configured service is a simulator (embedded, or in another process): its jobs
     *     end with it, so recording them in the user's default store would list jobs that no longer exist
     * @param env the environment, never {@code System.getenv()} directly, so tests can point it at a temp folder
     */
    static Choice choose(
            @Nullable String flag, @Nullable String configured, boolean simulator, Map<String, String> env) {
        if (flag != null) {
            return explicit(flag, "--store");
        }
        if (configured != null) {
            return explicit(configured, "loraport.store.path");
        }
        if (simulator) {
            return new Choice(null, "a simulator (its jobs end with it)");
        }
        return defaultChoice(env);
    }

    /**
     * The per-user default: {@code $LORAPORT_HOME/jobs.txt}, else the XDG state folder
     * ({@code $XDG_STATE_HOME/loraport}, else {@code $HOME/.local/state/loraport}), else
     * {@code %LOCALAPPDATA%\loraport} on Windows; memory when the environment names no folder at all.
     */
    static Choice defaultChoice(Map<String, String> env) {
        String home = nonBlank(env.get("LORAPORT_HOME"));
        if (home != null) {
            return new Choice(path(home, "LORAPORT_HOME").resolve(FILE), "LORAPORT_HOME");
        }
        String state = nonBlank(env.get("XDG_STATE_HOME"));
        // The XDG spec says a relative value is invalid and to be ignored.
        if (state != null && path(state, "XDG_STATE_HOME").isAbsolute()) {
            return new Choice(path(state, "XDG_STATE_HOME").resolve("loraport").resolve(FILE), "XDG_STATE_HOME");
        }
        String userHome = nonBlank(env.get("HOME"));
        if (userHome != null) {
            return new Choice(
                    path(userHome, "HOME")
                            .resolve(".local")
                            .resolve("state")
                            .resolve("loraport")
                            .resolve(FILE),
                    "HOME");
        }
        String appData = nonBlank(env.get("LOCALAPPDATA"));
        if (appData != null) {
            return new Choice(path(appData, "LOCALAPPDATA").resolve("loraport").resolve(FILE), "LOCALAPPDATA");
        }
        return new Choice(null, "no LORAPORT_HOME, XDG_STATE_HOME, HOME or LOCALAPPDATA in the environment");
    }

    private static Choice explicit(String value, String source) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new UsageException(source + ": blank; allowed a file path, or " + NONE);
        }
        if (v.toLowerCase(Locale.ROOT).equals(NONE)) {
            return new Choice(null, source + " " + NONE);
        }
        Path p = path(v, source);
        // A folder is taken as the folder to keep jobs.txt in, as LORAPORT_HOME is.
        return new Choice(Files.isDirectory(p) ? p.resolve(FILE) : p, source);
    }

    private static Path path(String value, String source) {
        try {
            return Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw new UsageException(source + ": '" + value + "' is not a file path (" + e.getReason() + ")");
        }
    }

    private static @Nullable String nonBlank(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The store in {@code file}; the file store is safe for several commands at once. */
    static TaskStore open(Path file) {
        return TaskStore.file(file);
    }
}
