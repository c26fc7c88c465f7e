"""The Python job API the JobServer daemon provides (spark-jobserver's ``sparkjobserver.api`` shape).

A job is a class with ``validate(context, runtime, config)`` and ``run_job(context, runtime, data)``; deriving
from ``SparkJob`` is optional. ``context`` is None (the daemon runs no Spark), ``runtime`` has ``job_id`` and
``context_name``, ``config`` is read by dotted path: ``config.get("input.string")``. ``validate`` returns the
data for ``run_job`` or ``build_problems([...])``.
"""


class ValidationProblem(object):
    def __init__(self, problem):
        self.problem = problem


def build_problems(problems):
    return [ValidationProblem(p) for p in problems]


class JobRuntime(object):
    def __init__(self, job_id, context_name):
        self.job_id = job_id
        self.context_name = context_name


class JobConfig(object):
    """The job's config, read by dotted path as Typesafe Config (and pyhocon) are."""

    def __init__(self, root):
        self._root = root

    def get(self, path, default=None):
        node = self._root
        for segment in path.split("."):
            if not isinstance(node, dict) or segment not in node:
                return default
            node = node[segment]
        return node

    def has_path(self, path):
        return self.get(path) is not None

    def as_dict(self):
        return self._root


class SparkJob(object):
    def validate(self, context, runtime, config):
        raise NotImplementedError

    def run_job(self, context, runtime, data):
        raise NotImplementedError
