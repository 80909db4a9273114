"""`bin/tributary pipeline run` over a small real lake: the plan's commands, run the way the DAG tasks run them."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

HOME = Path(__file__).resolve().parents[2]
LAUNCHER = HOME / "bin" / "tributary"
SPDX = HOME / "tools" / "node_modules" / "spdx-license-list" / "spdx-full.json"


def tributary(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, TRIBUTARY_HOME=str(HOME))
    result = subprocess.run([str(LAUNCHER), *args], capture_output=True, text=True, env=env, timeout=1800)
    # The commands' logs, for a failure's reader: stderr of every command, in order.
    with open(os.environ.get("TRIBUTARY_TEST_LOG", os.devnull), "a", encoding="utf-8") as log:
        log.write(f"$ bin/tributary {' '.join(args)}\n{result.stderr}\n")
    if check and result.returncode != 0:
        raise AssertionError(f"bin/tributary {' '.join(args)} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


class LocalRunnerOnASmallLake(unittest.TestCase):
    def test_plan_runs_end_to_end_then_skips_what_is_current(self):
        with tempfile.TemporaryDirectory(prefix="tributary-pipeline-") as scratch:
            root = Path(scratch)
            # Twelve real license texts (and the sample world's re-submissions and bad lines) by four contributors.
            licenses = json.loads(SPDX.read_text(encoding="utf-8"))
            subset = {key: licenses[key] for key in sorted(licenses)[:12]}
            (root / "spdx.json").write_text(json.dumps(subset), encoding="utf-8")
            world = json.loads(tributary("sample-world", "--out", str(root / "inbox"), "--spdx", str(root / "spdx.json"),
                                         "--contributors", "4", "--json").stdout)
            lake = str(root / "lake")
            tributary("model", "init", "--out", str(root / "base"), "--preset", "tiny", "--seed", "3")
            conf = root / "pipeline.conf"
            conf.write_text(f"""
tributary {{
  pipeline {{
    inbox = "{root / 'inbox'}"
    base-model = "{root / 'base'}"
    adapters-dir = "{root / 'adapters'}"
    local-retry-delay-seconds = 1
  }}
  spark {{ master = "local[2]", shuffle-partitions = 2, conf {{ "spark.ui.enabled" = false }} }}
  training.lora {{ steps = 3, batch-size = 2, sequence-length = 32, eval-fraction = 0.2, checkpoint-every = 3 }}
}}
""", encoding="utf-8")
            common = ["--conf", str(conf), "--lake", lake]
            tributary("datanet", "create", "--id", "legal", "--name", "Licenses", "--topic", "legal", "--owner", world["owner"],
                      *common)
            tributary("datanet", "create", "--id", "medical", "--name", "Medicine", "--topic", "medical", "--owner",
                      world["owner"], *common)

            # Up to train: the influence step (per-example gradients of every window) costs minutes more on a 2-core CI machine;
            # its command is checked against the launcher by test_dags, and its job by indexing-jobs' InfluenceJobTest.
            first = json.loads(tributary("pipeline", "run", "--until", "train", *common, "--json").stdout)
            outcomes = {(r["step"], r["item"]): r["outcome"] for r in first["results"]}
            self.assertTrue(first["ok"], first)
            self.assertEqual(outcomes[("ingest", "legal")], "ok")
            self.assertEqual(outcomes[("ingest", "medical")], "skipped", "medical has no inbox directory")
            for step in ("dedup", "index", "train"):
                self.assertEqual(outcomes[(step, "medical")], "skipped", "medical has no contributions")
            for step in ("dedup", "index", "train"):
                self.assertEqual(outcomes[(step, "legal")], "ok", step)

            shown = json.loads(tributary("datanet", "show", "--datanet", "legal", *common, "--json").stdout)
            self.assertGreater(json.dumps(shown).count("contribution"), 0)
            adapters = json.loads(tributary("adapters", "list", *common, "--json").stdout)["adapters"]
            self.assertEqual([a["datanet"] for a in adapters], ["legal"])

            # Nothing new since the adapter was trained: the scheduled train step has nothing to do.
            again = json.loads(tributary("pipeline", "step", "train", "--datanet", "legal", *common, "--json").stdout)
            self.assertEqual([r["outcome"] for r in again["results"]], ["skipped"])
            self.assertEqual(len(json.loads(tributary("adapters", "list", *common, "--json").stdout)["adapters"]), 1)

            missing = tributary("pipeline", "step", "nope", *common, check=False)
            self.assertEqual(missing.returncode, 2)
            self.assertIn("no step 'nope'", missing.stderr)


if __name__ == "__main__":
    unittest.main()
