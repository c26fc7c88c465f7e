"""Runs one Python Spark job for the JobServer daemon (docs/spark.md, "The Python job contract").

Started by the job's worker process as ``python3 -I spark_runner.py <binary> <class path> [<dependency> ...]``;
reads ``{"config", "jobId", "contextName"}`` as JSON on stdin, imports the class from the uploaded wheel or egg
(zipimport: the archive first on sys.path, then the dependencies in order, never extracted), calls ``validate(context, runtime, config)``
and, when it returns no problems, ``run_job(context, runtime, data)``. Writes exactly one JSON line on stdout:
``{"result": ...}`` or ``{"error": {"status", "message", "errorClass", "stack"}}``. Anything the job prints goes
to stderr, so it can never corrupt the answer.
"""
import importlib
import json
import os
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sparkjobserver.api import JobConfig, JobRuntime, ValidationProblem  # noqa: E402


def fail(status, message, error_class="", stack=""):
    return {"error": {"status": status, "message": message, "errorClass": error_class, "stack": stack}}


def load(archives, class_path):
    module_name, _, class_name = class_path.rpartition(".")
    if not module_name:
        return None, fail("CLASS NOT FOUND", "classPath %s not found" % class_path)
    sys.path[0:0] = archives
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return None, fail("CLASS NOT FOUND", "classPath %s not found" % class_path)
    except Exception as e:  # the module itself failed to import
        return None, fail("JOB LOADING FAILED", "%s: %s" % (type(e).__name__, e), type(e).__name__, traceback.format_exc())
    job_class = getattr(module, class_name, None)
    if not isinstance(job_class, type):
        return None, fail("CLASS NOT FOUND", "classPath %s not found" % class_path)
    for method in ("validate", "run_job"):
        if not callable(getattr(job_class, method, None)):
            return None, fail("JOB LOADING FAILED", "%s has no %s method" % (class_path, method))
    try:
        return job_class(), None
    except Exception as e:
        return None, fail("JOB LOADING FAILED", "%s() failed: %s" % (class_path, e), type(e).__name__, traceback.format_exc())


def run(archives, class_path, request):
    job, failure = load(archives, class_path)
    if failure:
        return failure
    runtime = JobRuntime(request.get("jobId"), request.get("contextName"))
    config = JobConfig(request.get("config") or {})
    try:
        data = job.validate(None, runtime, config)
        if isinstance(data, list) and data and all(isinstance(p, ValidationProblem) for p in data):
            return fail("VALIDATION FAILED", "; ".join(p.problem for p in data), "spark.jobserver.api.ValidationProblem")
        result = job.run_job(None, runtime, data)
        return {"result": result}
    except Exception as e:
        return fail("ERROR", str(e), type(e).__name__, traceback.format_exc())


def exit_with_parent():
    """Ends the interpreter once the worker that started it is gone (a Spark context's process killed with kill -9):
    its kill of the process tree never came, and nothing else would end a job that runs on."""
    # The worker names itself: it may be gone already, and then getppid() is whoever adopted us (init).
    parent = int(os.environ.get("JOBSERVER_SPARK_WORKER_PID", "0")) or os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(137)


def main():
    threading.Thread(target=exit_with_parent, daemon=True).start()
    answer_to = sys.stdout
    sys.stdout = sys.stderr  # a job's print() must not reach the answer
    request = json.load(sys.stdin)
    answer = run([sys.argv[1]] + sys.argv[3:], sys.argv[2], request)
    try:
        line = json.dumps(answer)
    except (TypeError, ValueError) as e:
        line = json.dumps(fail("ERROR", "The result is not JSON-serializable: %s" % e, type(e).__name__))
    answer_to.write(line + "\n")
    answer_to.flush()


if __name__ == "__main__":
    main()
