"""deploy/k8s: the Zero to JupyterHub values, the single-user image and its start script.

Nothing here talks to a cluster.  The values are merged over the chart's defaults as Helm does
and validated against the chart's own schema (vendored from chart 4.4.0, deploy/k8s/z2jh-chart-
4.4.0/), which rejects a misspelled key; the memory sizing is checked against the measured
kernel peaks in docs/teaching-on-kubernetes.md (and bench/results/kernel_memory.json when a
local run left one); the hub's Python snippets run against stand-in spawners; the Dockerfile's
COPY sources must exist; the start script runs on temporary passwd files.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import types
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
CHART = K8S / "z2jh-chart-4.4.0"
DOC = ROOT / "docs" / "teaching-on-kubernetes.md"
CHART_VERSION = "4.4.0"
CHART_HUB_VERSION = "5.5.0"  # appVersion of chart 4.4.0: the JupyterHub of its hub image


def _load(path: Path):
    return yaml.safe_load(path.read_text())


def helm_merge(defaults, overrides):
    """Helm's coalescing of user values over a chart's defaults: maps merge key by key, a
    null removes the key, anything else (lists included) replaces."""
    out = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def schema_errors(values: dict) -> list[str]:
    schema = _load(CHART / "values.schema.yaml")
    merged = helm_merge(_load(CHART / "values.yaml"), values)
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(merged)]


@pytest.fixture(scope="module")
def values() -> dict:
    return _load(K8S / "values.yaml")


# -- the chart's schema ----------------------------------------------------------------------

def test_vendored_chart_files_are_the_ones_named():
    import hashlib

    readme = (CHART / "README.md").read_text()
    for name in ("values.schema.yaml", "values.yaml", "LICENSE"):
        digest = hashlib.sha256((CHART / name).read_bytes()).hexdigest()
        assert f"`{name}`" in readme and digest in readme, name
    assert "BSD 3-Clause" in (CHART / "LICENSE").read_text()
    assert f"chart {CHART_VERSION}" in (K8S / "values.yaml").read_text()


def test_chart_defaults_pass_their_own_schema():
    assert schema_errors({}) == []


def test_values_pass_the_chart_schema(values):
    assert schema_errors(values) == []


@pytest.mark.parametrize("path", [
    ("cull", "timout"),                      # cull.timeout
    ("singleuser", "memory", "guarentee"),   # singleuser.memory.guarantee
    ("singleuser", "storage", "extraVolume"),
    ("hub", "extraConfigs"),
])
def test_a_misspelled_key_is_rejected(values, path):
    bad = copy.deepcopy(values)
    node = bad
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = 1
    errors = schema_errors(bad)
    assert errors and any(repr(path[-1]) in e for e in errors), errors


def test_a_wrong_type_is_rejected(values):
    bad = copy.deepcopy(values)
    bad["cull"]["enabled"] = "yes"
    assert schema_errors(bad)


def test_every_yaml_file_parses():
    for path in K8S.rglob("*.yaml"):
        docs = list(yaml.safe_load_all(path.read_text()))
        assert docs and all(d is not None for d in docs), path
    kinds = [d["kind"] for d in yaml.safe_load_all((K8S / "exchange.yaml").read_text())]
    assert kinds == ["PersistentVolumeClaim", "Job"]


# -- sizing ----------------------------------------------------------------------------------

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def kubespawner_bytes(spec) -> int:
    """KubeSpawner's ByteSpecification: 1G is 1024**3 bytes."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?)", str(spec))
    assert m, spec
    return int(float(m.group(1)) * _UNITS[m.group(2)])


def documented_sizes() -> dict:
    """The numbers the sizing section of the doc states: kernel peaks by notebook (MB) and
    the JupyterLab server's resident memory."""
    text = DOC.read_text()
    peaks = {m.group(1): float(m.group(2))
             for m in re.finditer(r"^\| `(notebooks/[^`]+)` \| (\d+(?:\.\d+)?) \|", text, re.M)}
    server = re.search(r"JupyterLab server \(measured\) \| (\d+) MB", text)
    assert peaks and server, "the doc's table of measured peaks is missing"
    return {"peaks": peaks, "server": float(server.group(1))}


MB = 2**20  # the measured table's MB are MiB


def test_memory_guarantee_and_limit_cover_the_measured_kernels(values):
    sizes = documented_sizes()
    largest = max(sizes["peaks"].values())
    assert largest >= 500, "the largest lecture kernel was measured at 503 MiB"
    guarantee = kubespawner_bytes(values["singleuser"]["memory"]["guarantee"])
    limit = kubespawner_bytes(values["singleuser"]["memory"]["limit"])
    # one lecture at its peak, with the server, within the guarantee
    assert guarantee >= (largest + sizes["server"]) * MB
    # two lectures at their peak at once, with the server, within the limit
    assert limit >= (2 * largest + sizes["server"]) * MB
    assert limit >= guarantee


def test_doc_table_agrees_with_the_committed_measurement():
    """The doc's peaks are bench/kernel_memory.py's table (bench/results/kernel_memory.md)."""
    table = (ROOT / "bench" / "results" / "kernel_memory.md").read_text()
    measured = {f"notebooks/{m.group(1)}": float(m.group(2))
                for m in re.finditer(r"^\| (\S+\.ipynb) \| (\d+) \|", table, re.M)}
    assert len(measured) >= 17
    doc = documented_sizes()["peaks"]
    for name, peak in doc.items():
        assert name in measured, f"{name} is in the doc but not in the measured table"
        assert peak == measured[name], f"{name}: the doc says {peak}, measured {measured[name]}"
    guarantee_mb = kubespawner_bytes(_load(K8S / "values.yaml")["singleuser"]["memory"]
                                     ["guarantee"]) / MB
    assert max(measured.values()) + documented_sizes()["server"] <= guarantee_mb


def test_cpu_and_culling(values):
    su = values["singleuser"]
    assert 0 < su["cpu"]["guarantee"] <= 0.5 and su["cpu"]["limit"] >= 1
    assert su["extraEnv"]["OMP_NUM_THREADS"] == str(su["cpu"]["limit"])
    cull = values["cull"]
    assert cull["enabled"] is True and cull["timeout"] == 3600
    assert cull["every"] <= cull["timeout"] and cull["maxAge"] >= 8 * 3600
    assert cull["users"] is False


def test_doc_states_the_numbers_of_the_values(values):
    text = DOC.read_text()
    assert f"chart {CHART_VERSION}" in text and f"JupyterHub {CHART_HUB_VERSION}" in text
    assert "untested" in text.lower()
    assert values["singleuser"]["memory"]["guarantee"].rstrip("G") + " GiB" in text


# -- the hub's configuration snippets --------------------------------------------------------

class _User:
    def __init__(self, name, id):
        self.name, self.id = name, id


class _Spawner:
    def __init__(self, name, id):
        self.user = _User(name, id)
        self.log = types.SimpleNamespace(warning=lambda *a: None)
        self.environment = {"OMP_NUM_THREADS": "2"}
        self.volumes = [{"name": "home"}, {"name": "nbgrader"}]
        self.volume_mounts = [{"name": "home", "mountPath": "/home/jovyan"}]
        self.extra_pod_config = {}
        self.container_security_context = {}
        self.cpu_guarantee = self.cpu_limit = self.mem_guarantee = self.mem_limit = None


@pytest.fixture
def hub_config(values, tmp_path):
    """The extraConfig snippets run in order, as the chart's jupyterhub_config.py does."""
    ns_ = types.SimpleNamespace
    c = ns_(KubeSpawner=ns_(), JupyterHub=ns_())
    ns = {"c": c}
    for _, code in sorted(values["hub"]["extraConfig"].items()):
        exec(compile(code, "<extraConfig>", "exec"), ns)
    ns["UID_MAP"] = str(tmp_path / "users" / "passwd")
    return c, ns


def test_every_user_gets_a_uid_of_their_own(hub_config):
    c, ns = hub_config
    uids = {c.KubeSpawner.uid(_Spawner(f"s{i}", i)) for i in range(1, 301)}
    assert len(uids) == 300 and min(uids) > 65534  # above nobody, the sandbox's uid
    assert c.KubeSpawner.gid == 100
    assert c.KubeSpawner.pod_security_context == {"seccompProfile": {"type": "RuntimeDefault"}}


def test_students_pods_stay_restricted(hub_config):
    c, ns = hub_config
    s = _Spawner("alice", 7)
    c.KubeSpawner.pre_spawn_hook(s)
    assert s.container_security_context == {} and s.extra_pod_config == {}
    assert [v["name"] for v in s.volumes] == ["home", "nbgrader"]
    assert "DLCORE_GRADING_SECRET_FILE" not in s.environment
    assert Path(ns["UID_MAP"]).read_text() == "alice:x:100007:100::/home/jovyan:/bin/bash\n"
    c.KubeSpawner.pre_spawn_hook(s)  # a second start records nothing new
    assert len(Path(ns["UID_MAP"]).read_text().splitlines()) == 1


def test_the_grading_server_may_sandbox_and_sees_the_secret(hub_config):
    c, ns = hub_config
    g = _Spawner("grader", 2)
    c.KubeSpawner.pre_spawn_hook(g)
    csc = g.container_security_context
    assert csc["seccompProfile"] == {"type": "Unconfined"} and csc["procMount"] == "Unmasked"
    assert csc["allowPrivilegeEscalation"] is False and "privileged" not in csc
    assert g.extra_pod_config["hostUsers"] is False
    secret = g.environment["DLCORE_GRADING_SECRET_FILE"]
    mounts = {m["name"]: m for m in g.volume_mounts}
    assert secret.startswith(mounts["grading-secret"]["mountPath"] + "/")
    # the grader binds /etc, /usr and /opt read-only into every sandbox: not the secret
    assert not secret.startswith(("/etc/", "/usr/", "/opt/", "/home/"))
    assert mounts["nbgrader"]["readOnly"] and mounts["nbgrader"]["subPath"] == "users"
    assert g.mem_limit == "10G" and g.cpu_limit >= 2


def test_instructors_reach_the_grading_server_by_role(values, hub_config):
    c, ns = hub_config
    role = values["hub"]["loadRoles"]["dlcourse-graders"]
    assert "access:servers!user=grader" in role["scopes"] and role["groups"] == ["instructors"]
    assert c.JupyterHub.load_groups["grading"]["users"] == ["grader"]
    assert values["hub"]["config"]["JupyterHub"]["admin_access"] is False


# -- the image -------------------------------------------------------------------------------

def _dockerfile():
    return (K8S / "Dockerfile").read_text()


def _args():
    return dict(re.findall(r"^ARG (\w+)=(\S+)", _dockerfile(), re.M))


def test_dockerfile_copies_files_that_exist():
    args = _args()
    sources = []
    for line in _dockerfile().splitlines():
        if line.startswith("COPY "):
            sources += [re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], s)
                        for s in line.split()[1:-1]]
    assert "requirements/lock.txt" in sources and "dlcore" in sources
    missing = [s for s in sources if not (ROOT / s).exists()]
    assert missing == []
    ignore = (K8S / "Dockerfile.dockerignore").read_text().splitlines()
    for s in sources:
        assert f"!{s}" in ignore or f"!{s}/" in ignore, f"{s} is left out of the build context"


def test_dockerfile_pins():
    args, text = _args(), _dockerfile()
    assert args["BASE_IMAGE"].startswith("python:3.11-slim")
    assert args["JUPYTERHUB_VERSION"] == CHART_HUB_VERSION
    assert '-c /tmp/constraints.txt' in text and "bubblewrap" in text
    assert re.search(r"^FROM \$\{BASE_IMAGE\}$", text, re.M)
    start = K8S / "dlcourse-start.sh"
    assert os.access(start, os.X_OK)
    assert subprocess.run(["sh", "-n", str(start)]).returncode == 0


def _start(tmp_path, *, uid_map=None, user="alice", passwd_text=None):
    passwd = tmp_path / "passwd"
    passwd.write_text(passwd_text if passwd_text is not None else
                      "root:x:0:0:root:/root:/bin/bash\njovyan:x:1000:100::/home/jovyan:/bin/bash\n")
    env = {"PATH": os.environ["PATH"], "PASSWD": str(passwd), "HOME": "/home/jovyan",
           "JUPYTERHUB_USER": user, "UID_MAP": str(uid_map or tmp_path / "none")}
    subprocess.run(["sh", str(K8S / "dlcourse-start.sh")], env=env, check=True)
    return passwd.read_text().splitlines()


def test_start_script_names_the_pods_uid(tmp_path):
    uid, gid = os.getuid(), os.getgid()
    lines = _start(tmp_path, passwd_text="jovyan:x:1000:100::/home/jovyan:/bin/bash\n")
    if uid == 1000:
        pytest.skip("this uid is jovyan's already")
    assert lines[-1] == f"alice:x:{uid}:{gid}::/home/jovyan:/bin/bash"


def test_start_script_merges_the_uid_map_once(tmp_path):
    uid_map = tmp_path / "map"
    uid_map.write_text("bob:x:100003:100::/home/jovyan:/bin/bash\n"
                       "root:x:100004:100::/x:/bin/sh\n"          # a known name: ignored
                       "evil:x:0:0::/root:/bin/sh\n"              # a known uid: ignored
                       "we;ird:x:100005:100::/x:/bin/sh\n")       # not a user name: ignored
    lines = _start(tmp_path, uid_map=uid_map, user="grader")
    again = _start(tmp_path, uid_map=uid_map, user="grader",
                   passwd_text="\n".join(lines) + "\n")
    assert lines == again
    names = [line.split(":")[0] for line in lines]
    assert names.count("bob") == 1 and "evil" not in names and "we;ird" not in names
    assert names.count("root") == 1
