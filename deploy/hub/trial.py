"""Try the course's hub on this machine: ``make hub`` (as root).

Creates an instructor and three students (Unix accounts ``dlc-instructor``, ``dlc-student1``
... with passwords printed below; the hub's login is NativeAuthenticator), nbgrader's
exchange, the instructor's course directory (``~/dlcourse``, with the course's grading
configuration and the assignments' sources), then starts JupyterHub with
deploy/hub/jupyterhub_config.py on http://127.0.0.1:8000.  Ctrl-C stops the hub, its proxy and
every user's server; what is still running as a trial account after that is stopped too, and
the trial says so.  Accounts, course directory and exchange stay for the next trial;
``make hub-remove`` (``--remove``) deletes them.

docs/teaching-a-class-on-a-hub.md walks through the trial, and through a real class.
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from grader.reach import blocker, exposure, outermost

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VENV = Path(sys.prefix)
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
#: The comment of every account the trial creates: --remove deletes only those.
MARK = "dlcourse hub trial"
INSIDE = "DLCOURSE_TRIAL_PRIVATE_VIEW"
#: The assignments the trial's course directory starts with (the sources, as in solutions/).
SOURCES = REPO / "solutions"


def say(text: str = "") -> None:
    print(text, flush=True)


def fail(text: str, code: int = 2) -> None:
    print(f"make hub: {text}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def accounts(prefix: str, students: int) -> list[str]:
    return [f"{prefix}instructor"] + [f"{prefix}student{i}" for i in range(1, students + 1)]


# -- who can reach the course environment -------------------------------------------------------


def needed_paths(state: Path) -> list[Path]:
    """What the students' and the instructor's servers must reach: the Python installation,
    the course environment, the course's repository (dlcore, grader, deploy/hub) and the
    trial's state (the exchange)."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.executable).resolve().parent,
             VENV.resolve(), REPO, state.resolve()}
    return outermost(paths)


def enter_private_view(state: Path) -> None:
    """Re-run this script where every user can reach the course environment, if they cannot
    here (a clone under /root, a Python under /root/.pyenv)."""
    if os.environ.get(INSIDE) == "1":
        return
    needed = needed_paths(state)
    unreadable = [p for p in needed if p.exists() and not (p.stat().st_mode & stat.S_IROTH)]
    if unreadable:
        fail(f"{unreadable[0]} is not readable by other users, so the students' servers could "
             f"not use it. Make it readable (chmod o+rX), or install the course somewhere every "
             f"user can read, such as /opt/dlcourse (see docs/teaching-a-class-on-a-hub.md).")
    blockers = sorted({str(b) for p in needed if (b := blocker(p)) is not None})
    if not blockers:
        return
    if shutil.which("unshare") is None:
        fail(f"other users cannot enter {', '.join(blockers)}, where the course environment "
             f"is, and util-linux's unshare is missing. Clone the course and create its "
             f"environment in a folder every user can enter (such as /opt/dlcourse).")
    say(f"Other users cannot enter {', '.join(blockers)}, where the course environment is.")
    say("For this trial the hub runs in a private view of the file system in which the course")
    say("environment is reachable (nothing changes on disk). For a real class, install the")
    say("course where every user can read it, such as /opt/dlcourse.")
    stage = Path(tempfile.mkdtemp(prefix="dlcourse-hub-stage-"))
    script = "\n".join(["set -e", *exposure(needed, stage),
                        f"rmdir {shlex.quote(str(stage))}/* {shlex.quote(str(stage))}",
                        f"exec {shlex.join([sys.executable, *sys.argv])}"])
    os.environ[INSIDE] = "1"
    os.execvp("unshare", ["unshare", "--mount", "--propagation", "private", "sh", "-c", script])


# -- the accounts, the exchange, the course directory -------------------------------------------


def ensure_account(name: str) -> pwd.struct_passwd:
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash",
                        "--comment", MARK, name], check=True)
        account = pwd.getpwnam(name)
    Path(account.pw_dir).chmod(0o700)  # no student reads another's files
    return account


def read_passwords(path: Path, names: list[str]) -> dict[str, str]:
    known = {}
    if path.exists():
        for line in path.read_text().split():
            name, password = line.split(":", 1)
            known[name] = password
    for name in names:
        known.setdefault(name, secrets.token_urlsafe(9))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("".join(f"{n}:{known[n]}\n" for n in names))
    path.chmod(0o600)
    return {n: known[n] for n in names}


COURSE_CONFIG = '''"""The course's nbgrader configuration for this course directory (from make hub).

It loads the configuration of the course's repository ({repo}/nbgrader_config.py: the grading
preprocessors, the bubblewrap sandbox, the time limits, the feedback) and keeps the
assignments' sources (solutions/), the student versions (assignments/), the gradebook and the
submissions here.  For a real class, this folder is a clone of your fork of the course instead.
"""

import os

c = get_config()  # noqa: F821

load_subconfig({config!r})  # noqa: F821
HERE = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
'''


def ensure_course(instructor: pwd.struct_passwd, folder: str) -> Path:
    """The instructor's course directory: kept as it is if it exists (their work)."""
    course = Path(instructor.pw_dir) / folder
    if not course.exists():
        course.mkdir()
        (course / "nbgrader_config.py").write_text(
            COURSE_CONFIG.format(repo=REPO, config=str(REPO / "nbgrader_config.py")))
        shutil.copytree(SOURCES, course / "solutions",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "README.md"))
        for path in [course, *course.rglob("*")]:
            os.chown(path, instructor.pw_uid, instructor.pw_gid, follow_symlinks=False)
    return course


def sandbox_works(account: str) -> str:
    """'' when bubblewrap can make the grader's sandbox as ``account``, else the reason."""
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (apt install bubblewrap)"
    out = subprocess.run(["setpriv", "--reuid", account, "--regid", account, "--init-groups",
                          "bwrap", "--unshare-all", "--die-with-parent", "--uid", "65534",
                          "--gid", "65534", "--ro-bind", "/", "/", "--proc", "/proc", "--dev",
                          "/dev", "true"], capture_output=True, text=True)
    return "" if out.returncode == 0 else (out.stderr.strip() or f"exit {out.returncode}")


# -- running and stopping -------------------------------------------------------------------------


def processes_of(uids: set[int]) -> list[tuple[int, str]]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        uid = next((int(ln.split()[1]) for ln in lines if ln.startswith("Uid:")), None)
        if uid in uids:
            name = lines[0].split(None, 1)[1] if lines else "?"
            found.append((int(status.parent.name), name))
    return found


def stop_leftovers(uids: set[int], state: Path) -> list[str]:
    """Stop what the hub left running (its proxy, the trial accounts' processes)."""
    left = [f"{name} (pid {pid})" for pid, name in processes_of(uids)]
    for pid, _ in processes_of(uids):
        _kill(pid, signal.SIGTERM)
    proxy_pid = state / "jupyterhub-proxy.pid"
    if proxy_pid.exists():
        try:
            pid = int(proxy_pid.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            cmdline = b""
        if b"configurable-http-proxy" in cmdline:
            left.append(f"the proxy (pid {pid})")
            _kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while processes_of(uids) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid, _ in processes_of(uids):
        _kill(pid, signal.SIGKILL)
    return left


def _kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def wait_ready(urls: list[str], hub: subprocess.Popen, timeout: float = 120) -> bool:
    """Wait until each URL answers (the hub's own API, then the same through the proxy)."""
    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            if hub.poll() is not None or time.monotonic() > deadline:
                return False
            try:
                with urllib.request.urlopen(f"{url}/hub/api", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
    return True


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args) -> int:
    state = Path(args.state).resolve()
    names = accounts(args.prefix, args.students)
    if not PROXY.exists():
        fail(f"the hub's proxy is not installed ({PROXY}): `make hub` installs it with npm "
             f"(make hub-proxy).")
    if shutil.which("node") is None:
        fail("Node.js is missing (the hub's proxy runs on it): apt install nodejs npm")
    state.mkdir(parents=True, exist_ok=True)
    if state.stat().st_uid != 0 or state.is_symlink():
        fail(f"{state} must be a folder owned by root")
    state.chmod(0o755)
    exchange = state / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o1777)  # nbgrader's exchange: everyone writes, nobody deletes others' files
    enter_private_view(state)

    users = {n: ensure_account(n) for n in names}
    passwords = read_passwords(state / "accounts.txt", names)
    instructor = users[names[0]]
    course = ensure_course(instructor, "dlcourse")
    why = sandbox_works(instructor.pw_name)

    url = f"http://127.0.0.1:{args.port}"
    hub_api = free_port()
    env = dict(os.environ,
               PATH=f"{VENV / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
               DLCOURSE_HUB_STATE=str(state), DLCOURSE_EXCHANGE=str(exchange),
               DLCOURSE_INSTRUCTORS=instructor.pw_name, DLCOURSE_COURSE_DIR="dlcourse",
               DLCOURSE_HUB_IP="127.0.0.1", DLCOURSE_HUB_PORT=str(args.port),
               DLCOURSE_HUB_API_PORT=str(hub_api), DLCOURSE_PROXY_API_PORT=str(free_port()),
               DLCOURSE_TRIAL_ACCOUNTS=str(state / "accounts.txt"),
               DLCOURSE_CREATE_ACCOUNTS="1" if args.create_accounts else "0")
    log = open(args.log, "ab") if args.log else None  # noqa: SIM115 (closed at the end)
    hub = subprocess.Popen([str(VENV / "bin" / "jupyterhub"), "-f",
                            str(HERE / "jupyterhub_config.py")], cwd=state, env=env,
                           stdout=log, stderr=log, start_new_session=True)
    stops = []

    def stop(signum, frame):  # Ctrl-C: the hub stops its proxy and every server
        stops.append(signum)
        sig = signal.SIGINT if len(stops) == 1 else signal.SIGTERM
        if hub.poll() is None:
            os.kill(hub.pid, sig)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if wait_ready([f"http://127.0.0.1:{hub_api}", url], hub):
        width = max(len(n) for n in names)
        say()
        say(f"The course's hub is running: open {url} in a browser.")
        say(f"  {names[0]:<{width}}  password {passwords[names[0]]}  (instructor: formgrader, "
            f"course directory ~/dlcourse)")
        for n in names[1:]:
            say(f"  {n:<{width}}  password {passwords[n]}  (student)")
        say(f"  exchange {exchange}; passwords in {state / 'accounts.txt'} (root only)")
        if why:
            say(f"  WARNING: autograding will refuse to run: bubblewrap cannot make the "
                f"grader's sandbox as {instructor.pw_name} ({why}). See "
                f"docs/grading-on-jupyterhub.md.")
        say("Press Ctrl-C to stop the hub and every user's server.")
        say()
    elif hub.poll() is None:
        say("make hub: the hub did not answer within two minutes; stopping it.")
        os.kill(hub.pid, signal.SIGINT)
    code = None
    while code is None:
        try:
            code = hub.wait(timeout=90 if stops else None)
        except subprocess.TimeoutExpired:
            os.kill(hub.pid, signal.SIGKILL)
    left = stop_leftovers({u.pw_uid for u in users.values()}, state)
    if left:
        say(f"Stopped what the hub left running: {', '.join(left)}.")
    say(f"The hub has stopped; nothing of the trial is running. The accounts and {course} stay "
        f"for the next `make hub`; `make hub-remove` deletes them.")
    if log:
        log.close()
    return 0 if stops or code == 0 else 1


def remove(args) -> int:
    state = Path(args.state).resolve()
    removed = []
    for name in accounts(args.prefix, args.students):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue
        if account.pw_gecos != MARK:
            say(f"{name} was not created by the trial: left as it is.")
            continue
        if processes_of({account.pw_uid}):
            fail(f"{name} still has processes running: stop the hub first.")
        subprocess.run(["userdel", "--remove", name], check=True, capture_output=True)
        removed.append(name)
    if state.is_dir() and not state.is_symlink():
        shutil.rmtree(state)
    say(f"Removed {', '.join(removed) or 'no accounts'} and {state}.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1")
    parser.add_argument("--state", default="/srv/dlcourse-trial",
                        help="the hub's database, the exchange and the trial's passwords")
    parser.add_argument("--prefix", default="dlc-", help="of the accounts' names")
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--log", help="the hub's log goes to this file (default: the terminal)")
    parser.add_argument("--create-accounts", action="store_true",
                        help="create the Unix account of a person who signs up at /hub/signup "
                             "when their server first starts, as for a real class (without it, "
                             "only the trial's accounts can have a server; --remove leaves "
                             "the accounts created so)")
    parser.add_argument("--remove", action="store_true",
                        help="delete the trial's accounts (with their HOME) and its state")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        fail("a class on one server needs root: each person's server runs as their own Unix "
             "account, which only root can start (and the trial creates those accounts). "
             "Run `sudo make hub`. (JupyterHub's SimpleLocalProcessSpawner would run everyone "
             "as you, with one HOME for all, no real exchange permissions and no separate "
             "student accounts: not a trial of a class.)")
    return remove(args) if args.remove else run(args)


if __name__ == "__main__":
    sys.exit(main())
