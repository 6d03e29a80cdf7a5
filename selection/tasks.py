"""The worker's index of this app's tasks: each is declared beside the service it runs."""
from selection.pdf_jobs import render_list_pdf
from selection.services import execute_selection_run, expire_stuck_runs

__all__ = ["execute_selection_run", "expire_stuck_runs", "render_list_pdf"]
