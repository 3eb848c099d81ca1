"""Leave sphinx-thebe's scripts out of the pages (a Sphinx extension of the course website).

Jupyter Book 1 always loads sphinx-thebe (live code cells run on Binder), even with
``launch_buttons.thebe: false``; its inline script is then added twice per page, which is a
JavaScript error ("THEBE_JS_URL has already been declared"), and it names a CDN.  The course
website does not use it: this drops its scripts and style sheet from every page.
"""


def _drop_thebe(app, pagename, templatename, context, doctree):
    def keep(asset):
        name = str(getattr(asset, "filename", "") or "")
        body = str(getattr(asset, "attributes", {}).get("body", ""))
        return "thebe" not in name and "THEBE" not in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if keep(asset)]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
