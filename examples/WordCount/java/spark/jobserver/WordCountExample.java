package spark.jobserver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * spark-jobserver's WordCountExample as a JobServer Java job (docs/spark.md, "The Java job contract"):
 * {@code input.string = a b c a b see} gives {@code {"a":2,"b":2,"c":1,"see":1}}.
 */
public final class WordCountExample {
    private WordCountExample() {
    }

    /** The daemon's entry point: the config by dotted path (and as JSON), the result as JSON text. */
    public static String run(Map<String, String> config, String configJson) {
        String text = config.get("input.string");
        if (text == null) {
            throw new IllegalArgumentException("No input.string config param"); // VALIDATION FAILED
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(count.getKey().replace("\\", "\\\\").replace("\"", "\\\"")).append("\":").append(count.getValue());
        }
        return json.append('}').toString();
    }
}
