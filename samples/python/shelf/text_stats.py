"""Word statistics over book descriptions."""

import re
from collections import Counter

STOP_WORDS = {"the", "a", "an", "and", "or", "of", "to", "in", "is", "it"}


def tokenize(text):
    """Lower-case words of two or more letters."""
    return re.findall(r"[a-z]{2,}", text.lower())


def top_words(descriptions, limit=10):
    """Count how often each word occurs across all descriptions and return the most common ones,
    leaving out stop words."""
    counts = Counter()
    for description in descriptions:
        counts.update(word for word in tokenize(description) if word not in STOP_WORDS)
    return counts.most_common(limit)
