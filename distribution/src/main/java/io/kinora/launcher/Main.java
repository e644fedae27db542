package io.kinora.launcher;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code kinora}: starts Kinora's Felix application. {@code serve} runs the server (HTTP, Web Console); every other
 * command starts the framework headless, hands its arguments to the CLI service and exits with its code.
 */
public final class Main {
    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";

    static final String USAGE = """
            Usage: kinora [--home DIR] [--work DIR] COMMAND [OPTIONS]

            Kinora turns one still image, a prompt and a short dialogue script into a finished MP4 clip:
            animated picture, a distinct voice per character, ambient sound, AI-content labels.

            Commands:
              generate --scene SCENE.json --out OUT.mp4 [--image IMG] [--seed N] [--job-id ID] [--quiet]
                  Make a clip. --scene is the SceneSpec (docs/scene-spec.md); --image overrides the scene's
                  "image" (a relative image path in the scene resolves against the scene file's folder);
                  --seed overrides the scene's seed; --job-id names the job in reports and provenance.
                  Writes OUT.mp4 (one more file per extra aspect, e.g. OUT-9x16.mp4) and OUT.report.json.
                  Progress goes to stderr; --quiet hides it. Nothing is written unless the job completes.
              verify [--json] FILE
                  Check the provenance layers of an MP4 (labels, implicit metadata, C2PA manifest, watermark);
                  exit 0 valid, 4 tampered/invalid, 5 no C2PA manifest, 3 unreadable. --json prints the result
                  for scripts.
              voices [--language TAG]
                  List the voice catalogue (id, engine, traits, languages).
              models
                  List the video models that are ready.
              bench [--samples DIR] [--out DIR] [--runs N] [--no-warmup]
                  Run every sample scene (default: the distribution's samples/) after one warm-up run and
                  write per-stage wall time, frames/s, real-time factor and peak memory to
                  DIR/bench.json and DIR/bench.md (default DIR: ./bench-results).
              serve [--port N]
                  Run the server: HTTP on 127.0.0.1 (default port 8642) with the Felix Web Console at
                  /system/console. At first start a console password is generated and printed once; only
                  its hash is stored (conf/%s.cfg). Stop with Ctrl-C.
              hash-password
                  Read a password from the terminal (or stdin) and print the hash to put in the REST API's
                  users setting (configuration io.kinora.rest: name:role:HASH, role creator or operator).
              help, --help
                  This text.
              version
                  Print the Kinora version.

            Global options:
              --home DIR   the Kinora installation (default: the folder above bin/)
              --work DIR   work folder: framework cache, extracted natives, logs (default: HOME/work,
                           or $KINORA_WORK)

            Exit codes: 0 done; 1 the job failed; 2 wrong usage; 3 bad input (scene, image, output path);
            130 cancelled (Ctrl-C). Logs: WORK/logs/.
            """.formatted(CONSOLE_PID);

    private Main() {
    }

    public static void main(String[] argv) {
        int code;
        try {
            code = run(argv, System.out, System.err);
        } catch (Throwable t) {
            System.err.println("kinora: " + t);
            code = 1;
        }
        System.exit(code);
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        Path home = null;
        Path work = null;
        while (!args.isEmpty() && args.get(0).startsWith("--") && (args.get(0).equals("--home") || args.get(0).equals("--work"))) {
            String opt = args.remove(0);
            if (args.isEmpty()) {
                err.println("kinora: " + opt + " needs a folder");
                return 2;
            }
            if (opt.equals("--home")) home = Path.of(args.remove(0));
            else work = Path.of(args.remove(0));
        }
        if (args.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        String command = args.get(0);
        switch (command) {
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                return 0;
            }
            case "version", "--version" -> {
                out.println("Kinora " + version());
                return 0;
            }
            case "hash-password" -> {
                return hashPassword(out, err);
            }
            default -> { }
        }
        if (home == null) home = Path.of(System.getProperty("kinora.home", "."));
        if (work == null) {
            String env = System.getenv("KINORA_WORK");
            work = env != null && !env.isBlank() ? Path.of(env) : home.resolve("work");
        }
        home = home.toAbsolutePath().normalize();
        work = work.toAbsolutePath().normalize();
        if (!Files.isDirectory(home.resolve("bundles"))) {
            err.println("kinora: " + home + " is not a Kinora installation (no bundles/ folder); use --home");
            return 2;
        }
        try {
            Files.createDirectories(work.resolve("logs"));
        } catch (IOException e) {
            err.println("kinora: cannot create the work folder " + work + ": " + e.getMessage());
            return 2;
        }
        boolean serve = command.equals("serve");
        configureSystem(work, serve);
        if (serve) return serve(home, work, args.subList(1, args.size()), out, err);
        return headless(home, work, args, jvmStart, err);
    }

    /** PBKDF2-HMAC-SHA256 in the form io.kinora.rest reads: pbkdf2$iterations$salt$hash (Base64). */
    static String restPasswordHash(String password, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        int iterations = 100_000;
        try {
            javax.crypto.spec.PBEKeySpec spec = new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return "pbkdf2$" + iterations + "$" + java.util.Base64.getEncoder().encodeToString(salt) + "$"
                    + java.util.Base64.getEncoder().encodeToString(hash);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }

    private static int hashPassword(PrintStream out, PrintStream err) throws IOException {
        String password;
        java.io.Console console = System.console();
        if (console != null) {
            char[] pw = console.readPassword("Password: ");
            password = pw == null ? null : new String(pw);
        } else {
            password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.length() < 12) {
            err.println("kinora hash-password: give a password of at least 12 characters");
            return 2;
        }
        out.println(restPasswordHash(password, new SecureRandom()));
        return 0;
    }

    /** JVM-wide settings that must be in place before any bundle loads DJL, javacpp or AWT. */
    static void configureSystem(Path work, boolean serve) {
        setDefault("ai.djl.offline", "true");
        setDefault("OPT_OUT_TRACKING", "true");
        setDefault("DJL_CACHE_DIR", work.resolve("djl").toString());
        setDefault("org.bytedeco.javacpp.cachedir", work.resolve("javacpp").toString());
        setDefault("java.awt.headless", "true");
        setDefault("org.bytedeco.javacpp.logger", "slf4j");
        setDefault("org.slf4j.simpleLogger.logFile", work.resolve(serve ? "logs/server.log" : "logs/kinora.log").toString());
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
        routeJavaLogging(work.resolve("logs/engine.log"));
    }

    /**
     * The engine bundle (DJL, PyTorch) logs through java.util.logging, whose default handler writes to the terminal;
     * send it to a log file so a user sees progress and results only.
     */
    static void routeJavaLogging(Path file) {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            if (h instanceof java.util.logging.FileHandler) return;
            root.removeHandler(h);
        }
        try {
            java.util.logging.FileHandler fh = new java.util.logging.FileHandler(file.toString(), 10_000_000, 1, true);
            fh.setFormatter(new java.util.logging.SimpleFormatter());
            root.addHandler(fh);
        } catch (IOException e) {
            System.err.println("kinora: cannot write " + file + " (" + e.getMessage() + "); engine messages are discarded");
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    private static int headless(Path home, Path work, List<String> args, long jvmStart, PrintStream err) throws Exception {
        KinoraFramework k;
        try {
            k = KinoraFramework.start(new KinoraFramework.Options(home, work, KinoraFramework.HEADLESS_LEVEL, "felix-cache-cli", Map.of()));
        } catch (IOException e) {
            err.println("kinora: " + e.getMessage());
            return 1;
        }
        try {
            if (!k.problems().isEmpty()) {
                err.println("kinora: the application did not start completely:");
                k.problems().forEach(p -> err.println("  - " + p));
                err.println("  (details in " + work.resolve("logs") + ")");
                return 1;
            }
            ServiceTracker<Object, Object> tracker = trackCli(k.context());
            try {
                Function<String[], Integer> cli = awaitCli(tracker, 120);
                if (cli == null) {
                    err.println("kinora: the command-line service did not become available within 120 s; see " + work.resolve("logs"));
                    return 1;
                }
                System.setProperty("kinora.launcher.startup.ms", Long.toString(System.currentTimeMillis() - jvmStart));
                return cli.apply(args.toArray(new String[0]));
            } finally {
                tracker.close();
            }
        } finally {
            closeQuietly(k, work.resolve("logs/framework.log"));
        }
    }

    /** Stops the framework; whatever bundles print while stopping goes to the log, not the user's terminal. */
    private static void closeQuietly(KinoraFramework k, Path log) {
        System.out.flush();
        System.err.flush();
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (PrintStream sink = new PrintStream(new java.io.FileOutputStream(log.toFile(), true), true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(sink);
            System.setErr(sink);
            k.close();
        } catch (IOException e) {
            k.close();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * Waits for the CLI service. The returned tracker must stay open while the service is used: closing it ungets
     * the service, which lets Declarative Services deactivate the component instance.
     */
    static ServiceTracker<Object, Object> trackCli(BundleContext ctx) throws InvalidSyntaxException {
        Filter filter = FrameworkUtil.createFilter("(&(objectClass=java.util.function.Function)(kinora.cli=main))");
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(ctx, filter, null);
        tracker.open(true);
        return tracker;
    }

    @SuppressWarnings("unchecked")
    static Function<String[], Integer> awaitCli(ServiceTracker<Object, Object> tracker, int seconds) throws InterruptedException {
        return (Function<String[], Integer>) tracker.waitForService(TimeUnit.SECONDS.toMillis(seconds));
    }

    private static int serve(Path home, Path work, List<String> args, PrintStream out, PrintStream err) throws Exception {
        int port = 8642;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--port") && i + 1 < args.size()) {
                try {
                    port = Integer.parseInt(args.get(++i));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    err.println("kinora serve: --port must be a number from 1 to 65535");
                    return 2;
                }
            } else {
                err.println("kinora serve: unknown argument '" + args.get(i) + "' (see kinora --help)");
                return 2;
            }
        }
        String password = ensureConsoleCredentials(home.resolve("conf"));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("org.osgi.service.http.port", Integer.toString(port));
        props.put("org.apache.felix.http.host", "127.0.0.1");
        props.put("org.apache.felix.http.enable", "true");
        KinoraFramework k;
        try {
            k = KinoraFramework.start(new KinoraFramework.Options(home, work, KinoraFramework.SERVER_LEVEL, "felix-cache", props));
        } catch (IOException e) {
            err.println("kinora serve: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            k.close();
            stopped.countDown();
        }, "kinora-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!k.problems().isEmpty()) {
            err.println("kinora serve: some bundles are not active:");
            k.problems().forEach(p -> err.println("  - " + p));
        }
        out.println("Kinora " + version() + " is running.");
        out.println("  Web Console: http://127.0.0.1:" + port + "/system/console  (user admin)");
        if (password != null) {
            out.println("  Generated console password (shown only now; only its hash is stored): " + password);
        }
        out.println("  Logs: " + work.resolve("logs") + "   Stop: Ctrl-C");
        k.framework().waitForStop(0);
        stopped.await(30, TimeUnit.SECONDS);
        return 0;
    }

    /**
     * Makes sure the Web Console has credentials that are not a default: if conf/ has no console configuration,
     * writes one with a generated password's hash and returns the password (to show once); otherwise null.
     */
    static String ensureConsoleCredentials(Path conf) throws IOException {
        Path file = conf.resolve(CONSOLE_PID + ".cfg");
        Files.createDirectories(conf);
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            String pw = p.getProperty("password");
            if (pw != null && !pw.isBlank() && !pw.equals("admin")) return null;
        }
        SecureRandom random = new SecureRandom();
        String password = ConsolePassword.generate(random);
        Properties p = new Properties();
        p.setProperty("username", "admin");
        p.setProperty("password", ConsolePassword.hash(password, random));
        p.setProperty("realm", "Kinora");
        Path tmp = conf.resolve("." + file.getFileName() + ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp)) {
            p.store(o, "Kinora Web Console credentials: generated at first start; the password is stored hashed only");
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    static String version() {
        Package p = Main.class.getPackage();
        return p != null && p.getImplementationVersion() != null ? p.getImplementationVersion() : "development";
    }
}
