"""nbgrader's settings for an instructor's server on the course's hub (deploy/hub).

The course directory is DLCOURSE_COURSE_DIR in the instructor's HOME (``~/dlcourse``): a
clone of the course's repository, or the folder ``make hub`` makes for a trial.  Its own
nbgrader_config.py is the course's configuration (the source and release folders, the
gradebook, the grading sandbox and time limits, the feedback); it is loaded here, so the
formgrader and nbgrader's commands use it wherever they start.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

course = os.path.join(os.path.expanduser("~"), os.environ.get("DLCOURSE_COURSE_DIR", "dlcourse"))
if os.path.isfile(os.path.join(course, "nbgrader_config.py")):
    load_subconfig(os.path.join(course, "nbgrader_config.py"))  # noqa: F821
c.CourseDirectory.course_id = "dlcourse"
c.Exchange.root = os.environ.get("DLCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
