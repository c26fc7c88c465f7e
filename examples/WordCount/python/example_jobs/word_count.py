"""spark-jobserver's Python word count for the JobServer daemon: ``input.string = a b c a b see`` gives
``{"a": 2, "b": 2, "c": 1, "see": 1}`` (docs/spark.md, "The Python job contract")."""
from sparkjobserver.api import SparkJob, build_problems


class WordCountSparkJob(SparkJob):
    def validate(self, context, runtime, config):
        text = config.get("input.string")
        if text is None:
            return build_problems(["No input.string config param"])
        return text.split()

    def run_job(self, context, runtime, data):
        counts = {}
        for word in data:
            counts[word] = counts.get(word, 0) + 1
        return counts


class FailingSparkJob(SparkJob):
    """Fails while running, to show the error form (used by the daemon's tests)."""

    def validate(self, context, runtime, config):
        return None

    def run_job(self, context, runtime, data):
        raise ValueError("test-error")


class SleepingSparkJob(SparkJob):
    """Runs until it is killed (DELETE /jobs/<id>), to show that a kill ends the interpreter."""

    def validate(self, context, runtime, config):
        return None

    def run_job(self, context, runtime, data):
        import time
        while True:
            time.sleep(1)
