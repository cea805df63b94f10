"""Status reports: one model (``model``) rendered to Markdown, HTML, PDF and CSV."""
