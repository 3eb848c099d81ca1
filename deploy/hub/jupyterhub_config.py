"""JupyterHub for a class of this course on one machine (JupyterHub 6, nbgrader 0.9.6).

Run it as root from the course environment (the one ``make lab`` creates, with the hub extra):

    .venv/bin/jupyterhub -f deploy/hub/jupyterhub_config.py

``make hub`` (deploy/hub/trial.py) starts it on localhost with trial accounts; the instructor
guide, docs/teaching-a-class-on-a-hub.md, explains every setting below and how to run it for a
real class.  What it sets up:

- the proxy: configurable-http-proxy from deploy/hub/node_modules (``make hub-proxy``);
- the login: NativeAuthenticator (people sign up, an instructor authorizes them at
  /hub/authorize; a name that could never have a server, such as root, cannot sign up); the
  guide shows the LTI authenticator for a course run from an LMS;
- every user's server runs as that user's own Unix account (LocalProcessSpawner), created
  when their server first starts, with the course environment (this virtual environment:
  dlcore, JupyterLab, nbgrader);
- nbgrader's exchange (``EXCHANGE``), through which instructors release assignments and
  feedback and students fetch and submit them;
- instructors get the formgrader and their course directory (``COURSE_DIR`` in their HOME:
  its nbgrader_config.py loads the course's grading configuration, so autograding runs every
  submission in the bubblewrap sandbox); students get the Assignments tab only.

Settings come from the environment (DLCOURSE_*), so that the trial and a real class use the
same file; change the defaults here for your server.
"""

import os
import pwd
import re
import subprocess
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

HERE = Path(__file__).resolve().parent
VENV = Path(sys.prefix)  # the hub runs in the course environment; so do the users' servers


def _setting(name, default):
    return os.environ.get(f"DLCOURSE_{name}", default)


#: Where the hub keeps its database and cookie secret (root only).
STATE = Path(_setting("HUB_STATE", "/srv/dlcourse-hub"))
#: nbgrader's exchange: world-writable with the sticky bit (``chmod 1777``).
EXCHANGE = _setting("EXCHANGE", "/srv/nbgrader/exchange")
#: The hub's user names that are instructors (formgrader, admin of the hub); the rest are
#: students.  Separate several by spaces.
INSTRUCTORS = set(_setting("INSTRUCTORS", "instructor").split())
#: Each instructor's course directory, relative to their HOME.
COURSE_DIR = _setting("COURSE_DIR", "dlcourse")
#: Where people open the hub: all interfaces on port 8000 unless told otherwise.  Put HTTPS in
#: front of it for a real class (the guide says how).
IP, PORT = _setting("HUB_IP", ""), int(_setting("HUB_PORT", "8000"))
#: Create the Unix account of a user who has none when their server first starts.
CREATE_ACCOUNTS = _setting("CREATE_ACCOUNTS", "1") == "1"
#: A hub user's name is their Unix account's: what a Unix account name can be (Debian's rule).
UNIX_NAME = r"[a-z_][a-z0-9_-]{0,31}"
#: The first UID of ordinary accounts: a hub user whose Unix account is below it (a system
#: account) can neither sign up nor get a server.
UID_MIN = 1000
#: The comment (GECOS field) of the Unix accounts the hub creates for its users, and the start
#: of the comment of the trial's accounts.  A student's name must not be an account the hub did
#: not make (someone's own login on this machine): their server would run as that person.
HUB_ACCOUNT = "dlcourse hub"

c.JupyterHub.ip = IP
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_setting("HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# Ctrl-C (or stopping the service) stops the proxy and every user's server with the hub.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --- the proxy: configurable-http-proxy from the npm registry, installed in node_modules ---
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" /
                                       "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_setting('PROXY_API_PORT', '8001')}"

# --- logging in: NativeAuthenticator -------------------------------------------------------
# Students sign up at /hub/signup; an instructor (an admin of the hub) authorizes each one at
# /hub/authorize.  Authorization is the authenticator's own check, hence allow_all.
c.Authenticator.allow_all = True
c.Authenticator.admin_users = INSTRUCTORS
c.NativeAuthenticator.minimum_password_length = 8
c.NativeAuthenticator.check_common_password = True
# After 5 wrong passwords in a row, a user must wait 10 minutes.
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 600
# Names that must never log in: they are system accounts, whose server would run as them.
c.Authenticator.blocked_users = {"root", "daemon", "bin", "sys", "nobody", "grader"}

from nativeauthenticator import NativeAuthenticator  # noqa: E402
from nativeauthenticator.handlers import LoginHandler as NativeLoginHandler  # noqa: E402
from nativeauthenticator.handlers import SignUpHandler as NativeSignUpHandler  # noqa: E402


def _refused_name(name, blocked):
    """Why ``name`` can never have a server here ('' if it can): it cannot be a Unix account,
    it is a system account's (blocked, or below UID_MIN), or it is an account of this machine
    that the hub did not create and that is not an instructor's."""
    if not re.fullmatch(UNIX_NAME, name):
        return (f"{name!r} cannot be a user name here: use lower-case letters, digits, - and "
                f"_ (at most 32 characters, the first a letter or _).")
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        account = None
    if name in blocked or (account is not None and account.pw_uid < UID_MIN):
        return f"{name} is the name of a system account: choose another user name."
    if (account is not None and name not in INSTRUCTORS
            and not account.pw_gecos.startswith(HUB_ACCOUNT)):
        return f"{name} is already the name of an account on this server: choose another."
    return ""


class _NoTimer:
    def start(self):
        return self

    def stop(self, send=True):
        pass


class _NoStatsd:
    def timer(self, name):
        return _NoTimer()


class LoginHandler(NativeLoginHandler):
    """NativeAuthenticator 1.3.0's login page, for JupyterHub 6: it still times each login
    with the statsd client that JupyterHub 6 removed (every login failed with
    "'LoginHandler' object has no attribute 'statsd'")."""

    statsd = _NoStatsd()


class SignUpHandler(NativeSignUpHandler):
    """The sign-up page, saying why a name is refused (NativeAuthenticator's message speaks
    only of spaces, commas and slashes)."""

    def get_result_message(self, user, *args):
        alert, message = super().get_result_message(user, *args)
        name = self.authenticator.normalize_username(self.get_body_argument("username", ""))
        why = _refused_name(name, self.authenticator.blocked_users)
        if user is None and why:
            alert, message = "alert-danger", why
        return alert, message


TRIAL_ACCOUNTS = _setting("TRIAL_ACCOUNTS", "")


class CourseAuthenticator(NativeAuthenticator):
    """NativeAuthenticator with its login page fixed for JupyterHub 6; for `make hub`, the
    trial's accounts (DLCOURSE_TRIAL_ACCOUNTS: name:password lines) are signed up and
    authorized in advance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not TRIAL_ACCOUNTS:
            return
        for line in Path(TRIAL_ACCOUNTS).read_text().split():
            name, password = line.split(":", 1)
            info = self.get_user(name)
            if info is None:
                info = self.create_user(name, password)
            elif not info.is_valid_password(password):
                self.change_password(name, password)
                info = self.get_user(name)
            info.is_authorized = True
            self.db.commit()

    def create_user(self, username, password, **kwargs):
        """A sign-up: refused for a name that could never have a server (root, a name that
        cannot be a Unix account...), instead of waiting for an instructor's authorization
        that could not help."""
        if _refused_name(self.normalize_username(username), self.blocked_users):
            return None
        return super().create_user(username, password, **kwargs)

    def get_handlers(self, app):
        ours = {NativeLoginHandler: LoginHandler, NativeSignUpHandler: SignUpHandler}
        return [(path, ours.get(handler, handler))
                for path, handler in super().get_handlers(app)]


c.JupyterHub.authenticator_class = CourseAuthenticator

# --- every user's server: their own Unix account, the course environment ---------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# A first start on a busy server takes a while (JupyterLab, nbgrader, the course's imports).
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
# Instructors and students differ in one thing: the extra Jupyter configuration folder their
# server reads (deploy/hub/jupyter/instructor or .../student): nbgrader's settings there, and
# for students the formgrader and the assignment-creation tools switched off.


def _role(spawner):
    return "instructor" if spawner.user.name in INSTRUCTORS else "student"


c.Spawner.environment = {
    "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",  # nbgrader runs alembic from PATH
    "JUPYTER_CONFIG_PATH": lambda spawner: str(HERE / "jupyter" / _role(spawner)),
    "DLCOURSE_EXCHANGE": EXCHANGE,
    "DLCOURSE_COURSE_DIR": COURSE_DIR,
    # the course's models are small: one BLAS thread per kernel is faster on a shared server
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def _unix_account(spawner):
    """Create the Unix account of a user who has none (students who signed up), and refuse
    to start a server as a system account."""
    name = spawner.user.name
    if not re.fullmatch(UNIX_NAME, name):
        raise ValueError(f"{name!r} cannot be a Unix account name: ask the instructor")
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        if not CREATE_ACCOUNTS:
            raise ValueError(f"{name} has no account on this server: ask the instructor") \
                from None
        subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash",
                        "--comment", HUB_ACCOUNT, name], check=True)
        account = pwd.getpwnam(name)
        os.chmod(account.pw_dir, 0o700)  # no student reads another's files
    if account.pw_uid < UID_MIN:
        raise ValueError(f"{name} is a system account: it cannot have a server here")
    if name not in INSTRUCTORS and not account.pw_gecos.startswith(HUB_ACCOUNT):
        raise ValueError(f"{name} is an account of this server that the hub did not create: "
                         f"ask the instructor")


c.Spawner.pre_spawn_hook = _unix_account
