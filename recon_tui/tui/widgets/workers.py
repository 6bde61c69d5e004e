"""Worker errors reach the user, not the terminal.

Every ``@work`` runs with ``exit_on_error=False``, and Textual tells only the worker's own node that
it failed (``Worker.StateChanged`` does not bubble). Screens and widgets that run workers pass the
failure on as ``WorkerFailed``, which bubbles up to the app, the one place that says it in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, WorkerState


@dataclass
class WorkerFailed(Message):
    worker: Worker


def pass_on_failure(node: DOMNode, event: Worker.StateChanged) -> None:
    """From a node's ``on_worker_state_changed``: a failed worker goes up to the app."""
    if event.state == WorkerState.ERROR:
        node.post_message(WorkerFailed(event.worker))
