"""Workshop aids and exports: JSONL, Markdown, HTML, Anki."""
