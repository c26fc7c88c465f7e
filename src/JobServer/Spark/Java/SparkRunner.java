import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Runs one Java Spark job for the JobServer daemon (docs/spark.md, "The Java job contract").
 *
 * <p>Started by the job's worker process as {@code java -cp <jar> SparkRunner.java <class> <jobId> <context>}
 * (a single-file source program: no build step). Reads the config on stdin: its JSON on the first line, then the
 * same config flattened to dotted paths as {@link Properties}. Calls the class's
 * {@code public static String run(Map<String, String> config, String configJson)}; an
 * {@link IllegalArgumentException} refuses the config (VALIDATION FAILED). Writes exactly one JSON line on stdout;
 * whatever the job prints goes to stderr.
 */
public final class SparkRunner {
    public static void main(String[] args) throws Exception {
        // The worker that started this JVM may die without killing it (a Spark context's process killed with
        // kill -9): then nothing else would end a job that runs on. It names itself, because it may already be gone
        // by now, and this JVM's parent would then be whoever adopted it (init), which never exits.
        long worker = Long.parseLong(System.getenv().getOrDefault("JOBSERVER_SPARK_WORKER_PID", "0"));
        ProcessHandle.current().parent().ifPresentOrElse(parent -> {
            if (worker != 0 && parent.pid() != worker) {
                Runtime.getRuntime().halt(137);
            }
            parent.onExit().thenRun(() -> Runtime.getRuntime().halt(137));
        }, () -> Runtime.getRuntime().halt(137));
        PrintStream answer = System.out;
        System.setOut(System.err); // a job's System.out.println must not reach the answer
        String input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        int newline = input.indexOf('\n');
        String json = newline < 0 ? input : input.substring(0, newline);
        Properties flat = new Properties();
        if (newline >= 0) {
            flat.load(new StringReader(input.substring(newline + 1)));
        }
        Map<String, String> config = new TreeMap<>();
        for (String key : flat.stringPropertyNames()) {
            config.put(key, flat.getProperty(key));
        }
        System.setProperty("spark.jobserver.jobId", args[1]);
        System.setProperty("spark.jobserver.contextName", args[2]);
        answer.println(run(args[0], Collections.unmodifiableMap(config), json));
        answer.flush();
    }

    private static String run(String className, Map<String, String> config, String json) {
        Method method;
        try {
            method = Class.forName(className).getMethod("run", Map.class, String.class);
        } catch (ClassNotFoundException e) {
            return fail("CLASS NOT FOUND", "classPath " + className + " not found", "", "");
        } catch (NoSuchMethodException e) {
            return fail("JOB LOADING FAILED", className + " has no public static String run(Map<String, String>, String)", "", "");
        } catch (LinkageError e) {
            return fail("JOB LOADING FAILED", e.toString(), e.getClass().getName(), stack(e));
        }
        if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != String.class) {
            return fail("JOB LOADING FAILED", className + ".run must be public static and return String", "", "");
        }
        try {
            Object result = method.invoke(null, config, json);
            return "{\"resultText\":" + (result == null ? "null" : quote((String) result)) + "}";
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String status = cause instanceof IllegalArgumentException ? "VALIDATION FAILED" : "ERROR";
            return fail(status, String.valueOf(cause.getMessage()), cause.getClass().getName(), stack(cause));
        } catch (IllegalAccessException e) {
            return fail("JOB LOADING FAILED", e.toString(), e.getClass().getName(), "");
        }
    }

    private static String fail(String status, String message, String errorClass, String stack) {
        return "{\"error\":{\"status\":" + quote(status) + ",\"message\":" + quote(message)
            + ",\"errorClass\":" + quote(errorClass) + ",\"stack\":" + quote(stack) + "}}";
    }

    private static String stack(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
