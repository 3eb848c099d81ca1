"""``History``: what ``fit`` records per epoch (losses and accuracies, lists of floats)."""

from __future__ import annotations

__all__ = ["History"]


class History:
    """Per-epoch records of ``fit``: ``train_loss``, ``train_acc``, ``val_loss``, ``val_acc``.

    ``train_loss[e]`` is the mean of epoch e's batch losses weighted by batch size (the loss of
    the whole training set for full-batch training); ``train_acc[e]`` the fraction of training
    samples classified correctly as they went through the training forward pass (a running
    accuracy, as d2l's ``train_ch3``); ``val_loss``/``val_acc`` are measured in eval mode at
    the end of the epoch.  Accuracy lists stay empty for regression losses, validation lists
    without validation data.  ``diverged`` is True when training stopped at a non-finite loss.
    """

    def __init__(self, loss: str, task: str):
        self.loss = loss
        self.task = task
        self.train_loss: list[float] = []
        self.train_acc: list[float] = []
        self.val_loss: list[float] = []
        self.val_acc: list[float] = []
        self.diverged = False

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def __len__(self) -> int:
        return self.epochs

    def as_dict(self) -> dict[str, list[float]]:
        """The recorded (non-empty) lists, keyed by name, e.g. for a DataFrame or a plot."""
        keys = ("train_loss", "train_acc", "val_loss", "val_acc")
        return {k: list(getattr(self, k)) for k in keys if getattr(self, k)}

    def __repr__(self) -> str:
        parts = [f"epochs={self.epochs}", f"loss={self.loss!r}"]
        if self.train_loss:
            parts.append(f"train_loss {self.train_loss[0]:.4g} -> {self.train_loss[-1]:.4g}")
        for key in ("train_acc", "val_loss", "val_acc"):
            values = getattr(self, key)
            if values:
                parts.append(f"{key} {values[-1]:.4g}")
        if self.diverged:
            parts.append("diverged")
        return f"History({', '.join(parts)})"
