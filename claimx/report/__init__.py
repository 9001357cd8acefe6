"""The review page: one self-contained HTML file that shows each claim on its article text."""

from claimx.report.page import CSP, render_article, render_batch, write_report
from claimx.report.view import segments

__all__ = ["CSP", "render_article", "render_batch", "segments", "write_report"]
