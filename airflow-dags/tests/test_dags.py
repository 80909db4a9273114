"""The Airflow DAGs against the pipeline plan and the launcher (run by AirflowDagsTest, or `python3 -m unittest`)."""
from __future__ import annotations

import ast
import json
import os
import runpy
import subprocess
import sys
import unittest
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DAGS = HERE.parent / "dags"
HOME = HERE.parents[1]
sys.path.insert(0, str(DAGS))
sys.path.insert(0, str(HERE))

import recording_airflow  # noqa: E402
import tributary_plan  # noqa: E402

LAUNCHER = HOME / "bin" / "tributary"
DAG_FILE = DAGS / "tributary_pipeline.py"
ALLOWED_IMPORTS = {"__future__", "datetime", "airflow", "airflow.operators.bash", "tributary_plan"}


def tributary(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TRIBUTARY_HOME=str(HOME))
    return subprocess.run([str(LAUNCHER), *args], capture_output=True, text=True, env=env, timeout=600)


class DagFileOnlySchedules(unittest.TestCase):
    def test_imports_and_calls_are_scheduling_only(self):
        tree = ast.parse(DAG_FILE.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.assertIn(alias.name, ALLOWED_IMPORTS)
            elif isinstance(node, ast.ImportFrom):
                self.assertIn(node.module, ALLOWED_IMPORTS)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                self.assertIn(node.func.id, {"dag_specs", "load_plan", "DAG", "datetime", "BashOperator", "timedelta", "globals"},
                              f"the DAG file calls {node.func.id}: DAG files only schedule")
        operators = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                     and n.func.id.endswith("Operator")}
        self.assertEqual(operators, {"BashOperator"})

    def test_helper_imports_no_airflow_and_runs_nothing(self):
        tree = ast.parse((DAGS / "tributary_plan.py").read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        self.assertFalse({name for name in imported if name and name.startswith("airflow")})
        self.assertNotIn("subprocess", imported)


class DagsFollowThePlan(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plan = tributary_plan.load_plan()
        recording_airflow.install()
        runpy.run_path(str(DAG_FILE), run_name="tributary_pipeline")
        cls.dags = {dag.dag_id: dag for dag in recording_airflow.BUILT_DAGS}

    def test_every_step_is_one_task_of_the_dag_of_its_schedule(self):
        tasks = [(dag_id, task_id) for dag_id, dag in self.dags.items() for task_id in dag.tasks]
        self.assertEqual(sorted(task for _, task in tasks), sorted(step["id"] for step in self.plan["steps"]))
        for step in self.plan["steps"]:
            dag = self.dags[tributary_plan.dag_id(step["schedule"])]
            self.assertEqual(dag.kwargs["schedule"], step["schedule"])
            self.assertFalse(dag.kwargs["catchup"])
            task = dag.tasks[step["id"]]
            self.assertEqual(task.kwargs["bash_command"],
                             "{{ var.value.get('tributary_home', '/opt/tributary') }}/bin/tributary pipeline step "
                             + step["id"] + " --conf {{ var.value.get('tributary_profile', 'conf/cluster.conf') }}")
            self.assertEqual(task.kwargs["retries"], step["retries"])
            self.assertEqual(task.kwargs["retry_delay"], timedelta(minutes=step["retry_delay_minutes"]))
            self.assertEqual(task.kwargs["sla"], timedelta(minutes=step["sla_minutes"]))
            self.assertGreater(step["retries"], 0, "every step is idempotent and retried")

    def test_edges_are_the_plans_dependencies_within_a_schedule(self):
        schedule_of = {step["id"]: step["schedule"] for step in self.plan["steps"]}
        for step in self.plan["steps"]:
            task = self.dags[tributary_plan.dag_id(step["schedule"])].tasks[step["id"]]
            expected = {d for d in step["depends_on"] if schedule_of[d] == step["schedule"]}
            self.assertEqual(task.upstream, expected, step["id"])


class PlanAgreesWithTheLauncher(unittest.TestCase):
    """The Java runner reads the same file; its commands exist and accept the options the plan gives them."""

    @classmethod
    def setUpClass(cls):
        cls.plan = tributary_plan.load_plan()

    def test_pipeline_plan_prints_the_same_steps(self):
        result = tributary("pipeline", "plan", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        printed = json.loads(result.stdout)
        by_id = {step["id"]: step for step in printed["steps"]}
        self.assertEqual(set(by_id), {step["id"] for step in self.plan["steps"]})
        for step in self.plan["steps"]:
            for field in ("command", "depends_on", "schedule", "for_each", "skip_when", "retries", "retry_delay_minutes",
                          "sla_minutes"):
                self.assertEqual(by_id[step["id"]][field], step[field], f"{step['id']}.{field}")
        order = [step["id"] for step in printed["steps"]]
        for step in self.plan["steps"]:
            for dependency in step["depends_on"]:
                self.assertLess(order.index(dependency), order.index(step["id"]))

    def test_every_task_command_and_option_exists_in_the_launcher(self):
        result = tributary("pipeline", "step", "--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("--conf", result.stdout)
        for step in self.plan["steps"]:
            words = []
            for word in step["command"]:
                if word.startswith("-"):
                    break
                words.append(word)
            result = tributary(*words, "--help")
            self.assertEqual(result.returncode, 0, f"bin/tributary {' '.join(words)} --help: {result.stderr}")
            for word in step["command"]:
                if word.startswith("--"):
                    self.assertIn(word, result.stdout, f"step {step['id']}: {' '.join(words)} has no option {word}")


if __name__ == "__main__":
    unittest.main()
