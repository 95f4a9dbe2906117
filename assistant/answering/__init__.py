"""From retrieved passages to a cited answer: follow-ups, guard, extractive and LLM answerers, citation checks."""
