"""A class on one server, end to end in chromium: ``make hub`` (deploy/hub/trial.py).

The trial hub starts on a free port of 127.0.0.1 with an instructor and two students (their
own Unix accounts; the test's accounts are named ``dlct-...`` and deleted afterwards).  Then,
each through their own browser session:

1. the instructor logs in and, in the formgrader, generates and releases A1;
2. two students log in and fetch it from the Assignments tab; their answers are written into
   the fetched notebook as they would save it (one with every solution cell of solutions/, one
   with the first two only), and each clicks Submit;
3. the instructor collects, autogrades each submission (in the grading sandbox, through the
   formgrader's buttons), generates and releases the feedback;
4. each student fetches the feedback, opens it from the Assignments tab and reads their score.

It checks the scores (full marks on the autograded part for the first student, strictly
between 0 and that for the second, in the gradebook, the formgrader and the feedback page),
that a student has no formgrader, and that Ctrl-C (SIGINT to the trial) stops the hub, its
proxy and every user's server.

Before that round trip, a person who has no account signs up, as in a real class
(``test_a_student_signs_up_and_is_authorized``): ``dlct-newcomer`` signs up at /hub/signup and
cannot log in until the instructor authorizes them at /hub/authorize; then they log in, the
hub's ``pre_spawn_hook`` creates their Unix account (the trial runs with
``--create-accounts``), and their server runs as that account.  Sign-ups of names that must
never log in (``root``, a name that cannot be a Unix account) are refused.

Screenshots of each step go to tests/output/hub/ (git-ignored), and of every open page when a
step fails; the hub's log is there too.

Needs root (the trial creates Unix accounts and starts servers as them), bubblewrap, chromium
and the proxy (``make hub-proxy``, part of ``make test``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, _free_port, chromium_available

ROOT = Path(__file__).resolve().parents[1]
HUB = ROOT / "deploy" / "hub"
OUT = ROOT / "tests" / "output" / "hub"
AID = "a01_neurons_perceptron"
PREFIX = "dlct-"
INSTRUCTOR, CORRECT, PARTIAL = f"{PREFIX}instructor", f"{PREFIX}student1", f"{PREFIX}student2"
#: Who signs up at /hub/signup: no Unix account until their server first starts.
NEWCOMER = f"{PREFIX}newcomer"
#: Someone's own login on the machine, not made by the hub: nobody may sign up with its name.
STAFF = f"{PREFIX}staff"
#: How many of the solution cells the partial student answers.
PARTIAL_CELLS = 2

pytestmark = pytest.mark.slow


def _trial_module():
    spec = importlib.util.spec_from_file_location("dlcourse_hub_trial", HUB / "trial.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _why_not() -> str:
    if os.geteuid() != 0:
        return "needs root: the trial creates Unix accounts and starts servers as them"
    missing = [t for t in ("useradd", "userdel", "setpriv", "unshare", "bwrap", "node")
               if shutil.which(t) is None]
    if missing:
        return f"needs {', '.join(missing)}"
    if not chromium_available():
        return f"no chromium at {CHROMIUM}"
    if not (HUB / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        return "the hub's proxy is not installed: make hub-proxy (make test installs it)"
    return ""


class Hub:
    """The running trial: its URL, accounts and passwords, and how to stop it."""

    def __init__(self, proc, url, state, passwords):
        self.proc, self.url, self.state, self.passwords = proc, url, state, passwords
        self.uids = {pwd.getpwnam(n).pw_uid for n in passwords}

    def stop(self, timeout: float = 120) -> float:
        """Ctrl-C: SIGINT to the trial, as the terminal sends it; the seconds it took."""
        start = time.monotonic()
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=timeout)
        return time.monotonic() - start


def _remove_newcomer(trial, state: Path) -> None:
    """Delete the newcomer's and the staff member's Unix accounts and home folders (the trial's
    --remove deletes only its own accounts), stopping what still runs as them."""
    for name in (NEWCOMER, STAFF):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue
        trial.stop_leftovers({account.pw_uid}, state)
        subprocess.run(["userdel", "--remove", name], capture_output=True)


@pytest.fixture(scope="module")
def hub():
    why = _why_not()
    if why:
        pytest.skip(why)
    trial = _trial_module()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in [*OUT.glob("*.png"), *OUT.glob("*.txt"), *OUT.glob("*.log")]:
        old.unlink()
    remove = [sys.executable, str(HUB / "trial.py"), "--remove", "--prefix", PREFIX,
              "--students", "2"]
    state = Path(tempfile.mkdtemp(prefix="dlcourse-hub-test-", dir="/tmp"))
    state.chmod(0o755)
    subprocess.run([*remove, "--state", str(state / "old")], check=True,
                   capture_output=True)  # accounts left by an interrupted earlier run
    _remove_newcomer(trial, state / "old")
    with pytest.raises(KeyError):  # the hook must create it
        pwd.getpwnam(NEWCOMER)
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", STAFF], check=True,
                   capture_output=True)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLCORE_")}
    log = open(OUT / "trial.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([sys.executable, str(HUB / "trial.py"), "--port", str(port),
                             "--state", str(state), "--prefix", PREFIX, "--students", "2",
                             "--log", str(OUT / "hub.log"), "--create-accounts"],
                            stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    names = [INSTRUCTOR, CORRECT, PARTIAL]
    try:
        deadline = time.monotonic() + 180
        while "Press Ctrl-C" not in (OUT / "trial.log").read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the trial hub did not start:\n"
                            + (OUT / "trial.log").read_text()[-3000:])
            time.sleep(0.3)
        passwords = dict(line.split(":", 1)
                         for line in (state / "accounts.txt").read_text().split())
        yield Hub(proc, f"http://127.0.0.1:{port}", state, {n: passwords[n] for n in names})
    finally:
        with contextlib.suppress(Exception):
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGINT)
                proc.wait(timeout=120)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        uids = set()
        for n in names:
            with contextlib.suppress(KeyError):
                uids.add(pwd.getpwnam(n).pw_uid)
        trial.stop_leftovers(uids, state)
        log.close()
        subprocess.run([*remove, "--state", str(state)], capture_output=True)
        _remove_newcomer(trial, state)
        shutil.rmtree(state, ignore_errors=True)


# -- the browser ------------------------------------------------------------------------------


class Steps:
    """Screenshots of each step (tests/output/hub/NN-name.png), and of every page on failure."""

    def __init__(self, prefix: str = ""):
        self.n, self.pages, self.prefix = 0, {}, prefix

    def shot(self, page, name: str) -> None:
        self.n += 1
        page.screenshot(path=str(OUT / f"{self.prefix}{self.n:02d}-{name}.png"))

    def on_failure(self) -> None:
        for who, page in self.pages.items():
            with contextlib.suppress(Exception):
                page.screenshot(path=str(OUT / f"failure-{who}.png"))


def _new_page(browser, who: str, steps: Steps):
    """A browser session of its own (its own cookies: its own login)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    steps.pages[who] = page
    return page


def _log_in(browser, hub: Hub, who: str, steps: Steps, next_path: str = ""):
    """Submit the login form; the server starts in the background (wait with _lab), unless
    ``next_path`` leads elsewhere in the hub."""
    page = _new_page(browser, who, steps)
    _login_form(page, hub, who, hub.passwords[who], next_path)
    return page


def _login_form(page, hub: Hub, who: str, password: str, next_path: str = "") -> None:
    query = f"?next={urllib.parse.quote(next_path)}" if next_path else ""
    page.goto(f"{hub.url}/hub/login{query}")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", password)
    page.click("#login_submit, input[type=submit], button[type=submit]")


def _sign_up(page, hub: Hub, who: str, password: str) -> tuple[str, str]:
    """Fill in /hub/signup; the alert's kind (alert-info, alert-danger...) and its text."""
    page.goto(f"{hub.url}/hub/signup")
    page.fill("#username_input", who)
    page.fill("#password_input", password)
    page.fill("#password_confirmation_input", password)
    page.click("#signup_submit")
    alert = page.locator("#login-main .alert")
    alert.wait_for()
    kind = next(k for k in alert.get_attribute("class").split() if k.startswith("alert-"))
    return kind, alert.inner_text().strip()


def _lab(page) -> None:
    page.wait_for_selector("#jp-main-dock-panel", timeout=240_000)
    page.wait_for_selector(".jp-DirListing-content", timeout=60_000)


def _nbgrader_menu(page, item: str) -> None:
    page.click("li.lm-MenuBar-item:has-text('Nbgrader')")
    page.click(f".lm-Menu-itemLabel:text-is('{item}')")


def _modal(frame, timeout: float = 300_000) -> str:
    """Wait for the formgrader's result dialog; close it and return its text (fail on error)."""
    dialog = frame.locator("#success-modal, #error-modal")
    dialog.wait_for(timeout=timeout)
    text = dialog.inner_text()
    ok = frame.locator("#success-modal").count() > 0
    frame.locator(".modal-footer button").first.click()
    dialog.wait_for(state="detached", timeout=30_000)
    assert ok, text
    return text


def _formgrader_row(frame, aid: str):
    return frame.locator(f"tr:has(td.name a:text-is('{aid}'))")


def _student_menus(page, hub: Hub, who: str) -> None:
    """A student has the Assignments tab, and no formgrader or assignment creation."""
    page.click("li.lm-MenuBar-item:has-text('Nbgrader')")
    items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
    page.keyboard.press("Escape")
    assert "Assignment List" in items and "Formgrader" not in items, items
    assert page.request.get(f"{hub.url}/user/{who}/formgrader").status == 404


def _server_pid(hub: Hub, who: str) -> int:
    """The process id of the user's server, as the hub recorded it (the spawner's state)."""
    db = sqlite3.connect(f"file:{hub.state / 'jupyterhub.sqlite'}?mode=ro", uri=True)
    try:
        (state,) = db.execute("SELECT spawners.state FROM spawners JOIN users ON "
                              "spawners.user_id = users.id WHERE users.name = ? AND "
                              "spawners.name = ''", (who,)).fetchone()
    finally:
        db.close()
    return json.loads(state)["pid"]


def _uids(pid: int) -> set[int]:
    """The real, effective, saved and file-system user ids of a process."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {int(u) for line in status if line.startswith("Uid:") for u in line.split()[1:]}


# -- the students' answers --------------------------------------------------------------------


def _answer(student: str, cells: int | None) -> int:
    """Write the solution's first ``cells`` answer cells (all: None) into the student's fetched
    notebook, as the student saving it would; return how many were answered."""
    account = pwd.getpwnam(student)
    path = Path(account.pw_dir) / AID / f"{AID}.ipynb"
    nb = nbformat.read(path, as_version=4)
    solution = nbformat.read(ROOT / "solutions" / AID / f"{AID}.ipynb", as_version=4)
    answers = [c for c in solution.cells if c.metadata.get("nbgrader", {}).get("solution")]
    by_id = {c.metadata.nbgrader.grade_id: c.source for c in answers[:cells]}
    done = 0
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in by_id:
            cell.source = by_id[grade_id]
            done += 1
    if cells is not None:  # and one cell that says where it runs when graded
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    nbformat.write(nb, path)
    os.chown(path, account.pw_uid, account.pw_gid)
    return done


PROBE = "import os, socket\nprint('PROBE', socket.gethostname(), os.getuid())"


def _probe(student: str) -> list[str]:
    """What the probe cell printed when the instructor's autograde ran it."""
    home = Path(pwd.getpwnam(INSTRUCTOR).pw_dir)
    nb = nbformat.read(home / "dlcourse" / "autograded" / student / AID / f"{AID}.ipynb",
                       as_version=4)
    cell = next(c for c in nb.cells if c.source == PROBE)
    return "".join(o.get("text", "") for o in cell.get("outputs", [])).split()


def _hints(student: str) -> list[str]:
    """The first line of the hint of every test the student failed, as autograded."""
    home = Path(pwd.getpwnam(INSTRUCTOR).pw_dir)
    nb = nbformat.read(home / "dlcourse" / "autograded" / student / AID / f"{AID}.ipynb",
                       as_version=4)
    tests = [c for c in nb.cells if c.cell_type == "code"
             and c.metadata.get("nbgrader", {}).get("grade")
             and not c.metadata.nbgrader.get("solution")]
    return [o.evalue.strip().splitlines()[0][:60] for c in tests for o in c.get("outputs", [])
            if o.output_type == "error" and o.evalue.strip()]


def _autograded_max() -> float:
    solution = nbformat.read(ROOT / "solutions" / AID / f"{AID}.ipynb", as_version=4)
    return sum(float(c.metadata.nbgrader.get("points", 0)) for c in solution.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade"))


def _gradebook_scores() -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    db = Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / "dlcourse" / "gradebook.db"
    with Gradebook(f"sqlite:///{db}") as gb:
        return {s: (gb.find_submission(AID, s).code_score, gb.find_submission(AID, s).score)
                for s in (CORRECT, PARTIAL)}


def _in_chromium(scenario, hub: Hub, steps: Steps) -> None:
    """``scenario(browser, hub, steps)`` in Debian's chromium; screenshots if it fails."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            scenario(browser, hub, steps)
        except BaseException:
            steps.on_failure()
            raise
        finally:
            browser.close()


# -- a student signs up, the instructor authorizes them ------------------------------------------


def test_a_student_signs_up_and_is_authorized(hub):
    """Runs before the round trip, on the same hub (which the round trip stops)."""

    started = time.monotonic()
    _in_chromium(_sign_up_and_authorize, hub, Steps("signup-"))
    print(f"\nsign-up, authorization and first start {time.monotonic() - started:.0f} s")
    assert "Uncaught exception" not in (OUT / "hub.log").read_text()


def _sign_up_and_authorize(browser, hub: Hub, steps: Steps) -> None:
    from playwright.sync_api import expect

    password = secrets.token_urlsafe(12)
    page = _new_page(browser, NEWCOMER, steps)

    # 1. The newcomer signs up; they cannot log in until an instructor authorizes them.
    assert _sign_up(page, hub, NEWCOMER, password) == (
        "alert-info", "Your information has been sent to the admin.")
    steps.shot(page, "signed-up")
    _login_form(page, hub, NEWCOMER, password)
    expect(page.locator(".login_error")).to_have_text(
        f"User {NEWCOMER} has not been authorized by an administrator yet.")
    steps.shot(page, "not-authorized-yet")

    # Names that must never log in are refused at sign-up: a system account (its server would
    # run as root), a name that cannot be a Unix account, someone's own login on the machine.
    for name, why in (("root", "system account"), (f"{PREFIX}bad.name", "cannot be"),
                      (STAFF, "already the name of an account")):
        kind, text = _sign_up(page, hub, name, password)
        assert kind == "alert-danger" and why in text, (name, kind, text)
        steps.shot(page, f"refused-{name}")
        _login_form(page, hub, name, password)
        expect(page.locator(".login_error")).to_have_text("Invalid username or password.")

    # 2. The instructor authorizes them at /hub/authorize (their own server does not start).
    admin = _log_in(browser, hub, INSTRUCTOR, steps, next_path="/hub/authorize")
    row = admin.locator(f"tr[id='{NEWCOMER}']")
    expect(row.locator("td").nth(2)).to_have_text("No")
    assert admin.locator("tr[id='root']").count() == 0
    steps.shot(admin, "authorize")
    row.locator("a:text-is('Authorize')").click()
    expect(row.locator("td").nth(2)).to_have_text("Yes")
    steps.shot(admin, "authorized")

    # 3. The newcomer logs in; their server's first start creates their Unix account.
    with pytest.raises(KeyError):
        pwd.getpwnam(NEWCOMER)
    _login_form(page, hub, NEWCOMER, password)
    _lab(page)
    account = pwd.getpwnam(NEWCOMER)
    hub.uids.add(account.pw_uid)  # the round trip checks that Ctrl-C stops this server too
    home = Path(account.pw_dir)
    assert account.pw_uid >= 1000 and home.is_dir()
    assert home.stat().st_uid == account.pw_uid and home.stat().st_mode & 0o777 == 0o700
    pid = _server_pid(hub, NEWCOMER)
    assert _uids(pid) == {account.pw_uid}
    assert b"jupyterhub-singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes()
    steps.shot(page, "newcomer-lab")
    _student_menus(page, hub, NEWCOMER)
    _nbgrader_menu(page, "Assignment List")
    page.locator("#released_assignments_list").wait_for()
    steps.shot(page, "newcomer-assignments")


# -- the round trip ---------------------------------------------------------------------------


def test_a_class_round_trip_on_the_hub(hub):

    started = time.monotonic()
    _in_chromium(_round_trip, hub, Steps())
    round_trip = time.monotonic() - started
    stop = hub.stop()
    print(f"\nround trip {round_trip:.0f} s, Ctrl-C stopped everything in {stop:.1f} s")

    # Ctrl-C stopped the hub, its proxy and every user's server
    assert hub.proc.returncode == 0, (OUT / "trial.log").read_text()[-2000:]
    trial = _trial_module()
    assert trial.processes_of(hub.uids) == []
    proxy_pid = hub.state / "jupyterhub-proxy.pid"
    if proxy_pid.exists():
        assert not Path(f"/proc/{proxy_pid.read_text().strip()}").exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{hub.url}/hub/api", timeout=5)
    assert "Stopped what the hub left running" not in (OUT / "trial.log").read_text()
    assert "Uncaught exception" not in (OUT / "hub.log").read_text()


def _round_trip(browser, hub: Hub, steps: Steps) -> None:
    from playwright.sync_api import expect

    # Everyone logs in at once: the three servers start together.
    teacher = _log_in(browser, hub, INSTRUCTOR, steps)
    students = {s: _log_in(browser, hub, s, steps) for s in (CORRECT, PARTIAL)}

    # 1. The instructor generates and releases A1 in the formgrader.
    _lab(teacher)
    steps.shot(teacher, "instructor-lab")
    _nbgrader_menu(teacher, "Formgrader")
    fg = teacher.frame_locator(".jp-MainAreaWidget iframe")
    row = _formgrader_row(fg, AID)
    row.wait_for(timeout=60_000)
    steps.shot(teacher, "formgrader")
    row.locator("td.assign a").click()
    _modal(fg)
    row.locator("td.release a").click()
    assert "Successfully released" in _modal(fg)
    row.locator("td.status:has-text('released')").wait_for()
    steps.shot(teacher, "released")

    # 2. Each student fetches it from the Assignments tab, answers and submits.
    answered = {}
    for student, page in students.items():
        _lab(page)
        _nbgrader_menu(page, "Assignment List")
        released = page.locator(f"#released_assignments_list .list_item:has-text('{AID}')")
        released.wait_for()
        if student == CORRECT:
            steps.shot(page, "student-assignments")
        released.locator("button:text-is('Fetch')").click()
        fetched = page.locator(f"#fetched_assignments_list .list_item:has-text('{AID}')")
        fetched.first.wait_for()
        answered[student] = _answer(student, None if student == CORRECT else PARTIAL_CELLS)
        page.locator(f"#fetched_assignments_list .list_item:has-text('{AID}') "
                     f"button:text-is('Submit')").first.click()
        page.locator(f"#submitted_assignments_list .list_item:has-text('{AID}')").first \
            .wait_for()
        steps.shot(page, f"submitted-{student}")
    assert answered[PARTIAL] == PARTIAL_CELLS < answered[CORRECT]

    # A student has the Assignments tab, and no formgrader or assignment creation.
    _student_menus(students[CORRECT], hub, CORRECT)

    # 3. The instructor collects, autogrades each submission, makes and returns feedback.
    row.locator("td.collect a").click()
    _modal(fg)
    row.locator("td.num-submissions a:text-is('2')").click()
    for student in (CORRECT, PARTIAL):
        sub = fg.locator(f"tr:has(td.student-id:text-is('{student}'))")
        sub.locator("td.autograde a").click()
        assert "Successfully autograded" in _modal(fg)
    score_cells = {s: fg.locator(f"tr:has(td.student-id:text-is('{s}')) td.score")
                   for s in (CORRECT, PARTIAL)}
    for cell in score_cells.values():
        expect(cell).to_have_text(re.compile(r"^\s*\d+(\.\d+)? / \d+"))
    steps.shot(teacher, "autograded")
    auto = _autograded_max()
    score_text = {s: cell.inner_text() for s, cell in score_cells.items()}
    scores = _gradebook_scores()
    assert scores[CORRECT][0] == auto > 0, (scores, score_text)
    assert 0 < scores[PARTIAL][0] < auto, (scores, score_text)
    assert score_text[CORRECT].startswith(f"{scores[CORRECT][1]:g} / "), score_text
    # the student's code ran in the grading sandbox: bubblewrap's host name and user id
    assert _probe(PARTIAL) == ["PROBE", "sandbox", "65534"]
    fg.locator("a:text-is('Manage Assignments')").first.click()
    row = _formgrader_row(fg, AID)
    row.locator("td.generate-feedback a").click()
    _modal(fg)
    row.locator("td.release-feedback a").click()
    _modal(fg)
    steps.shot(teacher, "feedback-released")

    # 4. Each student fetches the feedback and reads their score in it.
    for student, page in students.items():
        page.click("#refresh_assignments_list")
        submitted = page.locator(f"#submitted_assignments_list .list_item:has-text('{AID}')")
        submitted.locator("button:text-is('Fetch Feedback')").first.click()
        view = page.locator("#submitted_assignments_list a:has-text('view feedback')")
        view.first.wait_for()
        view.first.click()
        html = page.locator(f".jp-DirListing-item:has-text('{AID}.html')")
        html.wait_for()
        html.dblclick()
        frame = page.frame_locator(".jp-HTMLViewer iframe")
        total = frame.locator("#total-score")
        total.wait_for()
        text = total.inner_text()
        steps.shot(page, f"feedback-{student}")
        score = scores[student][0]
        assert re.search(rf"\((Score|Score so far): {score:g} / \d+", text), text
        body = frame.locator("body").inner_text()
        (OUT / f"feedback-{student}.txt").write_text(body)
        hints = _hints(student)
        if student == CORRECT:
            assert hints == [] and "GradingError" not in body
        else:  # each test it failed shows its hint
            assert hints and "Score: 0 / " in body
            for hint in hints:
                assert hint in body, (hint, body[:3000])
