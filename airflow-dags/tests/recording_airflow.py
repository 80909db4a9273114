"""A hand-written stand-in for the part of Airflow's API the DAG file uses, recording what it builds.

Airflow cannot be installed here (no PyPI). The DAG file is executed against these classes so that the tests see
exactly the DAGs, tasks, arguments and edges it declares; nothing here runs a task.
"""
from __future__ import annotations

import sys
import types

BUILT_DAGS: list["DAG"] = []
_ACTIVE: list["DAG"] = []
DAG_ARGUMENTS = {"dag_id", "schedule", "start_date", "catchup", "max_active_runs", "tags", "doc_md"}
BASH_ARGUMENTS = {"task_id", "bash_command", "retries", "retry_delay", "sla", "doc_md"}


class DAG:
    def __init__(self, **kwargs):
        unknown = set(kwargs) - DAG_ARGUMENTS
        if unknown:
            raise TypeError(f"DAG() got arguments this stand-in does not know: {sorted(unknown)}")
        self.kwargs = kwargs
        self.dag_id = kwargs["dag_id"]
        self.tasks: dict[str, BashOperator] = {}
        BUILT_DAGS.append(self)

    def __enter__(self):
        _ACTIVE.append(self)
        return self

    def __exit__(self, *exc):
        _ACTIVE.pop()
        return False


class BashOperator:
    def __init__(self, **kwargs):
        unknown = set(kwargs) - BASH_ARGUMENTS
        if unknown:
            raise TypeError(f"BashOperator() got arguments this stand-in does not know: {sorted(unknown)}")
        if not _ACTIVE:
            raise RuntimeError("a task was created outside a DAG context")
        self.kwargs = kwargs
        self.task_id = kwargs["task_id"]
        self.upstream: set[str] = set()
        self.dag = _ACTIVE[-1]
        if self.task_id in self.dag.tasks:
            raise ValueError(f"task {self.task_id} declared twice in {self.dag.dag_id}")
        self.dag.tasks[self.task_id] = self

    def __rshift__(self, other: "BashOperator"):
        if other.dag is not self.dag:
            raise ValueError("an edge across DAGs")
        other.upstream.add(self.task_id)
        return other


def install() -> None:
    """Registers modules `airflow` and `airflow.operators.bash` holding these classes."""
    BUILT_DAGS.clear()
    airflow = types.ModuleType("airflow")
    airflow.DAG = DAG
    operators = types.ModuleType("airflow.operators")
    bash = types.ModuleType("airflow.operators.bash")
    bash.BashOperator = BashOperator
    airflow.operators = operators
    operators.bash = bash
    sys.modules.update({"airflow": airflow, "airflow.operators": operators, "airflow.operators.bash": bash})
