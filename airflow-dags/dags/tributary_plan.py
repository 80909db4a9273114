"""The pipeline plan (pipeline/plan.json) as the Airflow DAGs need it, in plain Python (no Airflow import).

tributary_pipeline.py turns these specs into DAG and BashOperator objects; the tests read the same specs, so what
the DAGs schedule is checked against the plan and against `bin/tributary`. Every task runs
`bin/tributary pipeline step <id>`, the code path of the local runner (`bin/tributary pipeline run`): the two
runners cannot drift.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

# Rendered by Airflow at run time (Jinja): the installation and the profile come from Airflow Variables.
HOME_TEMPLATE = "{{ var.value.get('tributary_home', '/opt/tributary') }}"
PROFILE_TEMPLATE = "{{ var.value.get('tributary_profile', 'conf/cluster.conf') }}"

STEP_FIELDS = {"id", "description", "schedule", "for_each", "skip_when", "command", "depends_on", "retries",
               "retry_delay_minutes", "sla_minutes"}


def plan_path() -> Path:
    """The plan file: $TRIBUTARY_PLAN, else pipeline/plan.json of the checkout these DAG files live in."""
    configured = os.environ.get("TRIBUTARY_PLAN")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "pipeline" / "plan.json"


def load_plan(path: Path | None = None) -> dict:
    with open(path or plan_path(), encoding="utf-8") as file:
        plan = json.load(file)
    ids = [step["id"] for step in plan["steps"]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate step ids in the plan: {ids}")
    for step in plan["steps"]:
        unknown = set(step) - STEP_FIELDS
        if unknown:
            raise ValueError(f"step {step['id']} has unknown fields {sorted(unknown)}")
        for dependency in step["depends_on"]:
            if dependency not in ids:
                raise ValueError(f"step {step['id']} depends on unknown step {dependency}")
    return plan


def dag_id(schedule: str) -> str:
    """One DAG per schedule: tributary_hourly, tributary_daily, tributary_every_10_min for a cron..."""
    words = {"@hourly": "hourly", "@daily": "daily", "@weekly": "weekly", "@monthly": "monthly"}
    if schedule in words:
        return "tributary_" + words[schedule]
    return "tributary_" + "".join(c if c.isalnum() else "_" for c in schedule).strip("_")


def bash_command(step_id: str) -> str:
    """What a task runs: one plan step through the launcher, with the profile named by an Airflow Variable."""
    return f"{HOME_TEMPLATE}/bin/tributary pipeline step {step_id} --conf {PROFILE_TEMPLATE}"


def dag_specs(plan: dict) -> list[dict]:
    """The DAGs to build: per schedule, its tasks with retries, SLAs and the dependencies inside that DAG.

    A dependency on a step of another schedule is not an Airflow edge: each step reads the lake's state (every step
    is idempotent and processes what is there), so the daily train step simply sees what the hourly steps wrote.
    """
    by_schedule: dict[str, list[dict]] = {}
    for step in plan["steps"]:
        by_schedule.setdefault(step["schedule"], []).append(step)
    specs = []
    for schedule, steps in by_schedule.items():
        local_ids = {step["id"] for step in steps}
        tasks = []
        for step in steps:
            tasks.append({
                "task_id": step["id"],
                "bash_command": bash_command(step["id"]),
                "retries": step["retries"],
                "retry_delay_minutes": step["retry_delay_minutes"],
                "sla_minutes": step["sla_minutes"],
                "upstream": [d for d in step["depends_on"] if d in local_ids],
                "doc": step["description"],
            })
        specs.append({"dag_id": dag_id(schedule), "schedule": schedule, "tasks": tasks})
    return specs
