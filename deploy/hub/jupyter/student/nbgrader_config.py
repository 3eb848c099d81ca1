"""nbgrader's settings for a student's server on the course's hub (deploy/hub).

Students fetch and submit assignments through the exchange, from the Assignments tab.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "dlcourse"
c.Exchange.root = os.environ.get("DLCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
