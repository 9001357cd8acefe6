"""Where a news story's headline and lead stand: they say what the story is about and when it happened.

A headline is a short first line that ends no sentence. A paragraph ends a sentence, or is longer than any
dateline (its full stop was lost); bylines and datelines are short lines that end none.
"""

from __future__ import annotations

ENDS = (".", "!", "?", "。", "！", "？", "؟", '"', "”", "»", "」")
"""What ends a sentence, closing quotes included."""
DATELINE_MOST = 80
"""The most characters a dateline holds."""
HEADLINE_MOST = 160
"""The most characters a headline (or a byline above a dateline) holds."""


def is_paragraph(line: str) -> bool:
    """Whether a line below the headline is a paragraph of the story, not a byline or a dateline."""
    plain = line.strip()
    return plain.endswith(ENDS) or len(plain) > DATELINE_MOST


def headline_end(text: str) -> int:
    """Where a headline ends: a short first line with no sentence end (0 when the article has none)."""
    first = text.split("\n", 1)[0]
    return len(first) if "\n" in text and len(first) <= HEADLINE_MOST and not first.rstrip().endswith(ENDS) else 0


def lede_end(text: str) -> int:
    """Where the story's first paragraph (its lede) ends: the end of the text when no line is one."""
    offset = headline_end(text)
    for line in text[offset:].split("\n"):
        offset += len(line) + 1
        if is_paragraph(line):
            return offset - 1
    return len(text)
