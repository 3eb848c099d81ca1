"""The exercise registry behind dl.check / dl.solution, and the lazy packages."""

import pytest

import dlcore as dl
from dlcore.selfcheck import _registry, exercise

pytestmark = pytest.mark.setup


@pytest.fixture
def demo_exercise():
    @exercise("99.9", "demo: the answer is 2", "The answer is 2.")
    def checker(answer):
        if answer == 4:
            return "you doubled it"
        return None if answer == 2 else "not 2"

    yield "99.9"
    _registry._REGISTRY.pop("99.9", None)


def test_check_verdicts(demo_exercise, capsys):
    assert dl.check(demo_exercise, 2).passed is True
    assert "Correct" in capsys.readouterr().out
    assert dl.check(demo_exercise, 4).passed is False
    assert "you doubled it" in capsys.readouterr().out
    assert dl.check(demo_exercise, ...).passed is False
    assert "Not answered yet" in capsys.readouterr().out


def test_a_crashing_answer_is_reported_not_raised(demo_exercise, capsys):
    def bad(_):
        raise RuntimeError("boom")

    @exercise("99.8", "calls the answer", "")
    def checker(answer):
        return None if answer(1) == 1 else "wrong"

    try:
        assert dl.check("99.8", bad).passed is False
        assert "RuntimeError: boom" in capsys.readouterr().out
    finally:
        _registry._REGISTRY.pop("99.8", None)


def test_solution_and_unknown_id(demo_exercise, capsys):
    dl.solution(demo_exercise)
    assert "The answer is 2." in capsys.readouterr().out
    with pytest.raises(KeyError, match="no exercise '00.0'"):
        dl.check("00.0", 1)


@pytest.mark.parametrize("typed, meant", [("4.2", "04.2"), ("04-2", "04.2"), ("4,2", "04.2"),
                                          ("14.10", None), ("04.20", None)])
def test_a_mistyped_id_suggests_the_intended_one(typed, meant):
    with pytest.raises(KeyError) as info:
        dl.check(typed, 1)
    message = str(info.value)
    assert message.startswith(f"no exercise '{typed}'")
    assert message.count(".") < 12, "the message must not list every exercise id"
    if meant is not None:
        assert message.endswith(f"did you mean '{meant}'?")


def test_the_result_shows_only_the_printed_message(demo_exercise, capsys):
    """In a notebook, the returned result adds no ``Out: False`` under the message."""
    from IPython.core.formatters import DisplayFormatter

    result = dl.check(demo_exercise, 4)
    assert not result and result.passed is False
    assert result.message == "[99.9] Not yet: you doubled it"
    data, _ = DisplayFormatter().format(result)
    assert data == {}, "the result must display nothing more than the printed verdict"


def test_a_hint_that_starts_with_not_yet_does_not_stutter(capsys):
    @exercise("99.7", "stutter", "")
    def checker(answer):
        return "not yet: compute the sum first"

    try:
        dl.check("99.7", 1)
        out = capsys.readouterr().out
        assert out.strip() == "[99.7] Not yet: compute the sum first"
    finally:
        _registry._REGISTRY.pop("99.7", None)


def test_solution_renders_markdown_in_a_notebook_kernel(demo_exercise):
    """In a Jupyter kernel, the solution is displayed as Markdown (maths renders)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import dlcore as dl\n"
        "from dlcore.selfcheck import exercise\n"
        "exercise('99.9', 'demo', r'The answer is $x^2$.')(lambda a: None)\n"
        "dl.solution('99.9')")])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    markdown = [o for o in outputs if "text/markdown" in o.get("data", {})]
    assert markdown and "$x^2$" in markdown[0]["data"]["text/markdown"]
    assert not [o for o in outputs if o.get("output_type") == "stream"]


def test_every_registered_exercise_has_a_solution():
    for ex in dl.selfcheck.exercises().values():
        assert ex.solution.strip(), f"exercise {ex.id} has no solution text"
        assert ex.title.strip()


def test_lazy_package_errors_name_the_alternatives():
    with pytest.raises(AttributeError, match="has no attribute 'nope'; its public names"):
        dl.viz.nope  # noqa: B018
    assert dl.viz.PALETTE["blue"] == "#0072B2"
