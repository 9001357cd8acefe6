"""Extraction, one article at a time, in flow order: `text` (checked input, sentences) → `plan`
(the calls a strategy makes, with `prompts` and their `templates/`) → `calls` (sent through `llm`
to the configured endpoint or the `local` model) → `drafts` (what the model fills, and the rules
that trigger a re-ask) → `grounding` and `claims` (quotes to offsets, drafts to claims) →
`pipeline` (`prepare`, `aextract`, `extract`). `identity` says what decides a result."""
