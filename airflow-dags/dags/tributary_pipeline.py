"""Tributary's scheduled pipeline as Airflow DAGs, one per schedule of the pipeline plan (pipeline/plan.json).

This file only schedules: each task is a BashOperator running `bin/tributary pipeline step <id> --conf <profile>`,
the same command the local runner runs for that step. Airflow Variables: `tributary_home` (where Tributary is
installed on the workers) and `tributary_profile` (its configuration file, e.g. conf/cluster.conf).
Written against the Airflow 2.x API (BashOperator, `schedule=`, per-task `sla`); see docs/operations.md.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

from tributary_plan import dag_specs, load_plan

for spec in dag_specs(load_plan()):
    with DAG(
        dag_id=spec["dag_id"],
        schedule=spec["schedule"],
        start_date=datetime(2026, 1, 1),
        catchup=False,
        max_active_runs=1,
        tags=["tributary"],
        doc_md=__doc__,
    ) as dag:
        tasks = {}
        for task in spec["tasks"]:
            tasks[task["task_id"]] = BashOperator(
                task_id=task["task_id"],
                bash_command=task["bash_command"],
                retries=task["retries"],
                retry_delay=timedelta(minutes=task["retry_delay_minutes"]),
                sla=timedelta(minutes=task["sla_minutes"]),
                doc_md=task["doc"],
            )
        for task in spec["tasks"]:
            for upstream in task["upstream"]:
                tasks[upstream] >> tasks[task["task_id"]]
    globals()[spec["dag_id"]] = dag
